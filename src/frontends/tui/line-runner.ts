import { COMMANDS } from '../../commands/table.js';
import type { GlobalOptions } from '../../commands/global-options.js';
import { commandId, type ConfirmRequest } from '../../commands/types.js';
import { OpsError, exitCodeOf } from '../../core/errors.js';
import type { Style } from '../../render/style.js';
import { PLAIN } from '../../render/style.js';
import { assertValidPromql } from '../../shell/promql/load.js';
import { TokenizeError, tokenize } from '../../shell/tokenize.js';
import { withoutYes } from '../../shell/without-yes.js';
import { parseArgs } from '../cli/build-program.js';
import { execute, formatError, toOpsError, type FrontendIo } from '../execute.js';
import type { SessionPool } from '../session-pool.js';
import type { Scope } from '../../core/scope.js';
import type { DriftAsk } from '../../commands/services/drift-read.js';
import type { LoadProgress } from '../../loadgen/load-types.js';
import { isLoadProgress, loadSummary } from './bench-view.js';
import { consoleActionFor } from './console-actions.js';
import { scopedLine, type ParsedLine } from './scoped-line.js';
import type { LogEntry } from './state.js';

/** What running a console line needs from the console around it. */
export interface LineRunnerDeps {
  pool: SessionPool;
  /** The console's own --profile, --config, --data-dir: the default for every line. */
  globals: GlobalOptions;
  env: NodeJS.ProcessEnv;
  version: string;
  profileName: string;
  style: Style;
  width(): number;
  log(entry: Omit<LogEntry, 'id'>): number;
  amendLog(id: number, change: Partial<Pick<LogEntry, 'text' | 'exitCode'>>): void;
  /** Asks in the console's dialog (the profile name typed on production). */
  ask(message: string, typeToConfirm: string | null): Promise<boolean>;
  notice(text: string | null): void;
  openMetrics(exprs: string[], source: string, intervalMs: number): void;
  /** A command's result data, for the console's own models (a `status` answer feeds the health model). */
  onResult?(commandId: string, data: unknown): void;
  /** A running `bench`'s progress as data (the console's live view); without it, the text goes to the footer. */
  loadProgress?(line: string, progress: LoadProgress): void;
  /** The line whose progress went to `loadProgress` has ended, with the whole run's figures when it returned them. */
  loadEnded?(line: string, final: LoadProgress | null): void;
  /** Opens the services pane's drift view (`services drift` typed at the prompt). */
  openDrift?(ask: DriftAsk): void;
  /** Writes the line as executed to the recording, if there is one. */
  record?(line: string, exitCode: number): void;
  /** The console's scope in effect (`use NAMESPACE`): a line that names none runs in it. */
  scope?(): Scope;
}

export interface LineResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one console line exactly as a script line would run, and logs what it printed.
 *
 * A line at the console is always asked about: `--yes` is ignored here, whether typed, recalled
 * from history or pasted, so a destructive command shows its confirmation every time (with the
 * profile name to type on a production profile). `--yes` is for argv and replay files, where
 * nobody can answer. The recording gets the line as executed: with `--yes` when a confirmation
 * was asked and accepted, because its replay runs unattended. A command declined at its
 * confirmation changed nothing and is not recorded.
 */
export function lineRunner(d: LineRunnerDeps): (line: string, signal: AbortSignal) => Promise<LineResult> {
  const parse = (text: string): ParsedLine | null => {
    try {
      const words = tokenize(text, (n) => d.env[n]);
      const parsed = parseArgs(COMMANDS, words, 'replay', d.version);
      return parsed.kind === 'command' ? { spec: parsed.inv.spec, opts: parsed.inv.input.opts, profile: parsed.inv.globals.profile, words } : null;
    } catch {
      return null;
    }
  };
  return async (typed, signal) => {
    // The namespace in effect becomes a flag on the line, so the log and the recording show what ran.
    const line = d.scope ? scopedLine(typed, d.scope(), d.profileName, parse) : typed;
    const sink = { out: '', err: '' };
    // The entry appears when the command starts and fills as output arrives (a watch streams).
    const entry = d.log({ line, text: '', exitCode: null });
    const show = () => d.amendLog(entry, { text: (sink.out + sink.err).replace(/\n$/, '') });
    let answered: boolean | null = null;
    let code: number;
    try {
      const parsed = parseArgs(COMMANDS, tokenize(line, (n) => d.env[n]), 'replay', d.version);
      const action = parsed.kind === 'command' ? consoleActionFor(parsed.inv, d.profileName) : null;
      if (action?.kind === 'open-drift' && d.openDrift) {
        // A view change like metrics watch; the view reads the same report the command returns.
        d.openDrift(action.ask);
        d.amendLog(entry, { text: 'opened the drift view of the services pane; Enter explains a row, R reloads, Esc goes back (-o table prints it here instead)', exitCode: 0 });
        return { exitCode: 0, stdout: '', stderr: '' };
      }
      if (action?.kind === 'open-metrics') {
        // The same syntax check the command does: a bad query is exit 2 with a caret, never sent.
        for (const [i, e] of action.exprs.entries()) await assertValidPromql(e, action.exprs.length > 1 ? `expression ${i + 1}` : 'the expression');
        // A view change, not a command with a result: it is not recorded (a replay would watch forever).
        d.openMetrics(action.exprs, 'metrics watch', action.intervalMs);
        const n = action.exprs.length;
        d.amendLog(entry, { text: `opened the metrics pane with ${n} ${n === 1 ? 'query' : 'queries'} live; S saves them, Esc returns to the saved queries`, exitCode: 0 });
        return { exitCode: 0, stdout: '', stderr: '' };
      }
      if (parsed.kind === 'command') {
        const g = { ...parsed.inv.globals };
        if (g.yes) d.notice('--yes is ignored in the console: it asks instead (use it in scripts and on the command line)');
        g.yes = false;
        if (g.profile === undefined) g.profile = d.globals.profile;
        if (g.config === undefined) g.config = d.globals.config;
        if (g.dataDir === undefined) g.dataDir = d.globals.dataDir;
        let loading = false;
        const io: FrontendIo = {
          out: (t) => void ((sink.out += t), show()),
          err: (t) => void ((sink.err += t), show()),
          defaultFormat: 'table',
          width: d.width(),
          signal,
          style: async (c) => (c ? d.style : PLAIN),
          ask: async (req: ConfirmRequest) => (answered = await d.ask(req.message, req.typeToConfirm ?? null)),
          progress: (m, detail) => {
            if (d.loadProgress && isLoadProgress(detail)) {
              loading = true;
              d.loadProgress(line, detail);
            } else d.notice(m);
          },
        };
        let outcome: Awaited<ReturnType<typeof execute>> | undefined;
        try {
          outcome = await execute({ ...parsed.inv, globals: g }, d.pool, io, d.version);
        } finally {
          if (loading) d.loadEnded?.(line, outcome ? loadSummary(outcome.data) : null);
        }
        code = outcome.exitCode;
        if (outcome.data !== undefined) d.onResult?.(commandId(parsed.inv.spec), outcome.data);
      } else {
        sink.out = parsed.kind === 'printed' ? parsed.text : '';
        code = 0;
      }
    } catch (e) {
      const err = e instanceof TokenizeError ? new OpsError('usage', e.message, 'fix the quoting or set the variable, then run the line again') : toOpsError(e);
      sink.err = formatError(err) + '\n';
      code = exitCodeOf(err.kind);
    }
    d.amendLog(entry, { text: (sink.out + sink.err).replace(/\n$/, ''), exitCode: code });
    if (answered !== false) {
      const executed = withoutYes(line);
      d.record?.(answered ? `${executed} --yes` : executed, code);
    }
    return { exitCode: code, stdout: sink.out, stderr: sink.err };
  };
}
