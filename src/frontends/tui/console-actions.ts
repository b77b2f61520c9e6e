import { metricsWatch } from '../../commands/metrics/watch.js';
import { servicesDrift } from '../../commands/services/drift.js';
import type { DriftAsk } from '../../commands/services/drift-read.js';
import { OpsError } from '../../core/errors.js';
import type { Invocation } from '../cli/build-program.js';

/** Something a command line means differently in the console than on the command line. */
export type ConsoleAction = { kind: 'open-metrics'; exprs: string[]; intervalMs: number } | { kind: 'open-drift'; ask: DriftAsk };

/**
 * `metrics watch EXPR...` at the console prompt opens the metrics pane with the queries live,
 * instead of streaming NDJSON into the log. It stays a plain command (output to the log) when
 * the line asks for what the pane does not do: `-o`, `--count`, `--timeout`, any other flag, or
 * another profile.
 */
export function consoleActionFor(inv: Invocation, consoleProfile: string | undefined): ConsoleAction | null {
  if (inv.spec === servicesDrift) return driftAction(inv, consoleProfile);
  if (inv.spec !== metricsWatch) return null;
  const { input, globals } = inv;
  // The pane knows only --interval; any other flag (--count, --timeout, Thanos knobs) keeps the stream.
  if (globals.output !== undefined || Object.entries(input.opts).some(([k, v]) => k !== 'interval' && v !== undefined && v !== false)) return null;
  if (globals.profile !== undefined && globals.profile !== consoleProfile) return null;
  const { args, opts } = metricsWatch.read(input);
  const exprs = args.expr;
  const intervalMs = opts.interval;
  if (intervalMs < 1000) throw new OpsError('usage', '--interval must be at least 1s in the metrics pane', 'the pane refreshes every few seconds; + and - change it');
  return { kind: 'open-metrics', exprs, intervalMs };
}

/**
 * `services drift` at the console prompt opens the drift view (the services pane's drill-down that
 * reads the same report), unless the line asks for output (`-o`) or another profile: then it is a
 * plain command whose output goes to the log.
 */
function driftAction(inv: Invocation, consoleProfile: string | undefined): ConsoleAction | null {
  if (inv.globals.output !== undefined || (inv.globals.profile !== undefined && inv.globals.profile !== consoleProfile)) return null;
  const { opts } = servicesDrift.read(inv.input);
  return { kind: 'open-drift', ask: { ...(opts.service === undefined ? {} : { service: opts.service }), ...(opts.ignore.length > 0 ? { ignore: opts.ignore } : {}) } };
}
