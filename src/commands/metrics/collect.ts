import { OpsError } from '../../core/errors.js';
import { defineCommand } from '../define-command.js';
import { choiceOpt, durationOpt, stringOpt } from '../option-types.js';
import type { Ctx, Stream } from '../types.js';
import { registryTargets } from './registry-targets.js';
import { metricsStore } from './store-ops.js';
import { onAbort as whenAborted } from '../../core/on-abort.js';

export interface CollectEvent {
  event: 'collecting' | 'stopped';
  dataDir?: string;
  targets?: number;
  api?: string | null;
  scrapes?: number;
  samples?: number;
  flushes?: number;
}

export const metricsCollect = defineCommand({
  path: ['metrics', 'collect'],
  summary: 'Scrape the embedded metrics targets into the data dir until Ctrl-C (optionally serving the Prometheus HTTP API)',
  args: {},
  options: {
    listen: stringOpt({ summary: 'serve the Prometheus HTTP API on HOST:PORT (127.0.0.1:9464; port 0 picks one)', value: 'HOST:PORT' }),
    auth: choiceOpt({ summary: 'bearer-token auth on the HTTP API (token: "metrics token")', value: 'on|off', choices: ['on', 'off'] as const, default: 'on' }),
    timeout: durationOpt({ summary: 'stop after this long' }),
  },
  examples: ['opsdeck metrics collect', 'opsdeck metrics collect --listen 127.0.0.1:9464', 'opsdeck metrics collect --timeout 1h -o json'],
  mutates: false,
  async run(ctx, { opts }): Promise<Stream<CollectEvent>> {
    const listen = opts.listen === undefined ? undefined : { ...hostPort(opts.listen), auth: opts.auth === 'on' };
    const store = await metricsStore(ctx, 'collect');
    return { stream: events(ctx, store, listen, opts.timeout) };
  },
});

async function* events(ctx: Ctx, store: Awaited<ReturnType<typeof metricsStore>>, listen: { host: string; port: number; auth: boolean } | undefined, timeoutMs: number | undefined): AsyncIterable<CollectEvent> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  const detach = whenAborted(ctx.signal, onAbort);
  const timer = timeoutMs === undefined ? null : setTimeout(onAbort, timeoutMs);
  let ready!: (e: CollectEvent) => void;
  const started = new Promise<CollectEvent>((r) => (ready = r));
  const run = store.collect({
    signal: stop.signal,
    discover: () => registryTargets(ctx.session, stop.signal),
    ...(listen ? { listen } : {}),
    onReady: (info) => ready({ event: 'collecting', dataDir: ctx.session.dataDir, targets: info.targets, api: info.url }),
  });
  try {
    const first = await Promise.race([started, run.then(() => null)]);
    if (first) yield first;
    const summary = await run;
    yield { event: 'stopped', ...summary };
  } finally {
    if (timer) clearTimeout(timer);
    detach();
    stop.abort();
  }
}

/** HOST:PORT, [v6]:PORT or a bare PORT (on 127.0.0.1). */
function hostPort(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new OpsError('usage', `--listen must be HOST:PORT, not "${text}"`, 'for example --listen 127.0.0.1:9464');
  return { host: m[1] || m[2] || '127.0.0.1', port };
}
