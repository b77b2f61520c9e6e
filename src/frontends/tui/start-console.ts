import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { COMMANDS } from '../../commands/table.js';
import { statusReports } from '../../core/health.js';
import type { BackendStatus } from '../../core/types.js';
import { runReplay, scriptLines } from '../../shell/replay-runner.js';
import { checkReplayCommand } from '../cli/check-replay-command.js';
import { PLAIN, type Style } from '../../render/style.js';
import { matrixToSeries, type MatrixData } from '../../render/chart/matrix-to-series.js';
import { colorAllowed } from '../cli/cli-io.js';
import type { TopLevel } from '../cli/top-level.js';
import { DEFAULT_OWNER } from '../execute.js';
import type { SessionPool } from '../session-pool.js';
import type { ConsoleBoot } from './boot-console.js';
import { Controller } from './controller.js';
import { DemoAnimator, demoSpeed } from './demo-animator.js';
import { DEMO_QUERIES, DemoMetrics } from './demo-metrics.js';
import { DEMO_INSTANCES } from '../../commands/misc/demo-fleet.js';
import { KeyParser } from './keys.js';
import { LiveCache } from './live-cache.js';
import { levelOf } from './pane-levels.js';
import { writeHistory } from './history-file.js';
import { editConfig } from './edit-config.js';
import { lineRunner } from './line-runner.js';
import { withProgress } from './bench-view.js';
import { Recorder } from './recorder.js';
import { Refresher } from './refresher.js';
import { loadSavedQueries, savedQueriesPath, writeSavedQueries } from './saved-queries.js';
import { serviceQueries } from './service-queries.js';
import { promqlEngineNow } from '../../shell/promql/load.js';
import { commandLine } from '../../shell/quote-word.js';
import { driftPlan } from './drift-level.js';
import { currentView } from './state.js';

/** How often the background ping checks every backend for the status bar. */
const HEALTH_PROBE_MS = 30_000;

export interface ConsoleOptions {
  top: TopLevel;
  pool: SessionPool;
  env: NodeJS.ProcessEnv;
  version: string;
  /** The boot phase, already on screen (boot-console.ts). */
  boot: ConsoleBoot;
}

/**
 * The console after its boot phase (boot-console.ts): the controller, the line runner, Ink and the
 * background work. Loaded once the first pane has answered. Resolves with the exit code when the
 * user leaves.
 */
export async function startConsole({ top, pool, env, version, boot }: ConsoleOptions): Promise<number> {
  const { globals, session, profiles, store, reads, terminal, demoDir, historyFile } = boot;
  const color = globals.color && colorAllowed(env, true);
  const style = color ? await chalkStyle() : PLAIN;
  // Chart colours follow the console's colour decision.
  store.set((s) => ({ ...s, metrics: { ...s.metrics, style } }));
  const savedQueriesFile = savedQueriesPath(env, session.profile.name);
  const cache = new LiveCache(reads, profiles);
  void cache.refresh();
  const recorder = top.record ? new Recorder(top.record, session.profile.name, new Date()) : null;
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));

  const runDetailed = lineRunner({
    pool,
    globals,
    env,
    version,
    profileName: session.profile.name,
    style,
    width: () => store.get().cols,
    log: (entry) => controller.log(entry),
    amendLog: (id, change) => controller.amendLog(id, change),
    ask: (message, typeToConfirm) => controller.ask(message, typeToConfirm),
    notice: (text) => controller.notice(text),
    openMetrics: (exprs, source, intervalMs) => controller.openMetrics(exprs, source, intervalMs),
    onResult: (id, data) => {
      if (id === 'status') controller.reportHealth(statusReports(data as BackendStatus[]));
    },
    openDrift: (ask) => controller.openDrill('services', driftPlan(ask)),
    loadProgress: (line, p) => store.set((s) => ({ ...s, bench: withProgress(s.bench, line, p, Date.now()) })),
    loadEnded: (line, final) => store.set((s) => (s.bench?.line === line ? { ...s, bench: { ...s.bench, done: true, final } } : s)),
    ...(recorder ? { record: (line: string, code: number) => recorder.command(line, code) } : {}),
    scope: () => store.get().scope,
  });
  const runLine = async (line: string, signal: AbortSignal): Promise<number> => (await runDetailed(line, signal)).exitCode;

  const controller = new Controller({
    store,
    completion: cache,
    runLine,
    runScript: async (text, signal) => {
      // A paste is whole when it arrives: every line is checked before the first runs, as a file's are.
      const summary = await runReplay([{ whole: true, lines: () => scriptLines('<paste>', text) }], {
        vars: {},
        env,
        continueOnError: false,
        echo: false,
        checkCommand: (words) => checkReplayCommand(words, COMMANDS, version),
        report: (t) => controller.log({ line: null, text: t.replace(/\n$/, ''), exitCode: null }),
        exec: async (words) => ({ ...(await runDetailed(commandLine(words), signal)), data: undefined }),
      });
      return summary.exitCode;
    },
    loadView: (view, scope) => levelOf(view.pane, view).load(reads, Date.now(), scope),
    minRefreshMs: (view) => levelOf(view.pane, view).minRefreshMs?.(session.profile) ?? 0,
    liveChanges: (view, signal, scope) => levelOf(view.pane, view).changes?.(reads, signal, scope) ?? (async function* () {})(),
    namespaces: () => reads.namespaceChoices(),
    loadDetail: (plan) => plan.load(reads, store.get().cols),
    editConfig: async (plan) => {
      await editConfig(plan, {
        reads,
        env,
        suspend: (fn) => terminal.suspend(fn),
        redraw: () => redraw(),
        review: (title, lines) => store.set((s) => ({ ...s, detail: title === null ? null : { title, lines, scroll: 0, diff: true } })),
        ask: (message) => controller.ask(message),
        run: async (line) => {
          let result = { exitCode: 4, stderr: '' };
          await controller.execute(line, async (signal) => (result = await runDetailed(line, signal)).exitCode);
          return result;
        },
        ...(recorder ? { attach: (name: string, content: string) => recorder.attach(name, content) } : {}),
        say: (text) => void controller.log({ line: null, text, exitCode: null }),
      });
    },
    saveHistory: (entries) => writeHistory(historyFile, entries),
    openPager: (text) => {
      try {
        terminal.suspend(() => runPager(env, text));
      } finally {
        redraw();
      }
    },
    redraw: () => redraw(),
    exit: () => finish(0),
    owner: DEFAULT_OWNER,
    now: Date.now,
    metrics: {
      fetchRange: async (q, signal) => {
        // `metrics range` with the window and step the pane planned: the command keeps them (they are aligned already).
        const answer = await reads.readNoting<MatrixData>(['metrics', 'range', q.expr, '--start', String(q.start), '--end', String(q.end), '--step', `${Math.round(q.step * 1000)}ms`], signal);
        return { series: matrixToSeries(answer.data), warnings: answer.warnings.map(serverWarning) };
      },
      // The demo's queries are its own and never saved over the user's "local" profile's.
      loadSaved: () => (top.demo ? { saved: { queries: DEMO_QUERIES, rangeMs: 120_000 }, warning: null, writable: false } : loadSavedQueries(savedQueriesFile)),
      save: (saved) => writeSavedQueries(savedQueriesFile, saved),
      serviceQueries: (service) => serviceQueries(session.profile.metrics, service),
      check: (expr) => {
        const engine = promqlEngineNow();
        const problem = engine?.lintPromql(expr)[0];
        return engine === undefined ? undefined : problem ? engine.describeProblem(expr, problem).split('\n')[0]! : null;
      },
    },
  });

  // The boot frame stays until the Ink view (React, yoga) has loaded and takes over the screen.
  let ink: { clear(): void; unmount(): void } | null = null;
  const stopBoot = boot.stopBoot;
  let closed = false;
  const inkReady = import('./mount-ink.js').then(async ({ mountInk, yogaReady }) => {
    await yogaReady;
    if (closed) return;
    stopBoot();
    ink = mountInk(store);
  });
  const redraw = () => {
    ink?.clear();
    store.set((s) => ({ ...s }));
  };

  // In raw mode Ctrl-C arrives as a key; outside it (while $EDITOR runs) it arrives as SIGINT and
  // must not kill the console or leave the terminal on the alternate screen.
  const onSigint = () => controller.handle({ kind: 'key', name: 'c', ctrl: true, meta: false, shift: false });
  process.on('SIGINT', onSigint);
  const parser = new KeyParser();
  let escTimer: NodeJS.Timeout | null = null;
  const onData = (chunk: string) => {
    if (escTimer) clearTimeout(escTimer);
    for (const ev of parser.feed(chunk)) controller.handle(ev);
    // A lone ESC is the Escape key once no sequence follows within 30 ms.
    escTimer = setTimeout(() => parser.flush().forEach((ev) => controller.handle(ev)), 30);
  };
  // What was typed while the console loaded comes first, in order.
  for (const chunk of boot.takeKeys()) onData(chunk);
  process.stdin.on('data', onData);
  const onResize = () => {
    controller.resize(process.stdout.columns, process.stdout.rows);
    redraw();
  };
  process.stdout.on('resize', onResize);

  const refreshMs = top.refreshMs;
  const refresher = new Refresher(refreshMs, () => controller.tick());
  // The boot phase read the first pane already (or is still reading it): reading it again now
  // would ask its backends twice at start. Only a first read that failed is retried at once.
  const first = currentView(store.get());
  refresher.start(first.fetchedAt === null && !first.loading);
  // The ping `status` runs, in the background: it is how the bar learns about the subsystems whose
  // pane is not on screen (a Prometheus that is down before the metrics pane is opened). It starts
  // after the first frame, so opening the console never waits for a slow backend.
  const probe = new Refresher(HEALTH_PROBE_MS, async () => {
    try {
      controller.reportHealth(statusReports(await reads.read<BackendStatus[]>(['status'])));
    } catch {
      // A profile error is shown by the panes and commands that hit it; the bar keeps what it knew.
    }
  });
  const probeStart = setTimeout(() => probe.start(), 1500);
  probeStart.unref?.();
  const animator = top.demo ? new DemoAnimator(reads, demoSpeed()) : null;
  const demoMetrics = animator ? new DemoMetrics(DEMO_INSTANCES, { isDown: (i) => animator.isDown(i), degraded: () => DEMO_INSTANCES.some((i) => animator.isDown(i)) }) : null;
  if (demoMetrics && animator) {
    await demoMetrics.start();
    animator.metricsMetadata = (i) => demoMetrics.metadataOf(i);
  }
  animator?.start();
  // The console hosts the embedded metrics collector; it starts after the first frames, so the
  // store and the evaluator load in the background.
  const collection = new AbortController();
  let collecting: Promise<void> = Promise.resolve();
  const collectStart = setTimeout(() => (collecting = reads.collectMetrics(collection.signal)), 300);
  if (top.demo) controller.log({ line: null, text: 'demo: the fleet is animated in a throwaway data dir; try "services show gateway" or press Esc for the panes', exitCode: null });

  const code = await done;
  closed = true;
  await inkReady.catch(() => undefined);
  if (!ink) stopBoot();
  refresher.stop();
  clearTimeout(probeStart);
  probe.stop();
  controller.dispose();
  animator?.stop();
  clearTimeout(collectStart);
  collection.abort();
  await collecting;
  demoMetrics?.stop();
  process.stdin.off('data', onData);
  process.stdout.off('resize', onResize);
  process.off('SIGINT', onSigint);
  process.stdin.pause();
  (ink as { unmount(): void } | null)?.unmount();
  terminal.restore();
  if (demoDir) rmSync(demoDir, { recursive: true, force: true });
  return code;
}

/** A metrics server's warning as the pane shows it: the command words it for stderr. */
function serverWarning(w: string): string {
  return w.replace(/^the server warns: /, '');
}

/** Runs $PAGER (default `less`) on the text, through the shell so `PAGER="less -S"` works; throws when it cannot start. */
function runPager(env: NodeJS.ProcessEnv, text: string): void {
  const pager = env.PAGER && env.PAGER.trim() !== '' ? env.PAGER : 'less';
  const r = spawnSync(pager, { shell: true, input: text, stdio: ['pipe', 'inherit', 'inherit'], env });
  if (r.error) throw r.error;
  if (r.status === 127) throw new Error(`${pager}: command not found`);
}

async function chalkStyle(): Promise<Style> {
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return { bold: c.bold, dim: c.dim, red: c.red, green: c.green, yellow: c.yellow, cyan: c.cyan };
}

