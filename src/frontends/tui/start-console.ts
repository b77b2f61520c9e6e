import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../../commands/table.js';
import { exitCodeOf } from '../../core/errors.js';
import { diffLines, unifiedDiff } from '../../core/line-diff.js';
import { runReplay, scriptLines } from '../../shell/replay-runner.js';
import { tokenize } from '../../shell/tokenize.js';
import { PLAIN, type Style } from '../../render/style.js';
import { matrixToSeries, type MatrixData } from '../../render/chart/matrix-to-series.js';
import { colorAllowed } from '../cli/cli-io.js';
import { parseArgs, type TopLevel } from '../cli/build-program.js';
import { DEFAULT_OWNER, execute, formatError, toOpsError, type FrontendIo } from '../execute.js';
import type { SessionPool } from '../session-pool.js';
import { startBootPainter } from './boot-painter.js';
import { consoleActionFor } from './console-actions.js';
import { Controller } from './controller.js';
import { DemoAnimator } from './demo-animator.js';
import { KeyParser } from './keys.js';
import { LiveCache } from './live-cache.js';
import { levelOf } from './pane-levels.js';
import { Recorder, redactLine } from './recorder.js';
import { Refresher } from './refresher.js';
import { loadSavedQueries, savedQueriesPath, writeSavedQueries } from './saved-queries.js';
import { serviceQueries } from './service-queries.js';
import { assertValidPromql, promqlEngineNow } from '../../shell/promql/load.js';
import { commandLine } from './shell-quote.js';
import { initialState, type ConsoleState } from './state.js';
import { Store } from './store.js';
import { enterConsoleMode } from './terminal.js';

export interface ConsoleOptions {
  top: TopLevel;
  pool: SessionPool;
  env: NodeJS.ProcessEnv;
  version: string;
}

/** Opens the interactive console on a terminal. Resolves with the exit code when the user leaves. */
export async function startConsole({ top, pool, env, version }: ConsoleOptions): Promise<number> {
  const globals = { ...top.globals };
  let demoDir: string | null = null;
  if (top.demo) {
    // The demo animates a throwaway embedded store under the built-in profile: it never touches
    // the user's data dir or any real backend a profile points at.
    demoDir = mkdtempSync(join(tmpdir(), 'opsdeck-demo-'));
    globals.dataDir = demoDir;
    globals.profile = 'local';
    // An empty profile file: only the built-in local profile exists for the demo.
    globals.config = join(demoDir, 'profiles.yaml');
    writeFileSync(globals.config, 'profiles: {}\n');
  }
  const { session, profiles } = await pool.get(globals);
  const color = globals.color && colorAllowed(env, true);
  const style = color ? await chalkStyle() : PLAIN;
  if (top.demo) {
    const demo = COMMANDS.find((c) => c.path[0] === 'demo')!;
    const parsed = parseArgs(COMMANDS, ['demo'], 'replay', version);
    if (parsed.kind === 'command') await execute({ ...parsed.inv, spec: demo, globals }, pool, quietIo(), version);
  }
  const historyFile = historyPath(env, session.profile.name);
  const store = new Store<ConsoleState>(
    initialState(process.stdout.columns || 100, process.stdout.rows || 30, { name: session.profile.name, production: session.profile.production, readOnly: session.profile.readOnly }, readHistory(historyFile), top.demo),
  );
  // Chart colours follow the console's colour decision; the pane knows whether a backend exists.
  store.set((s) => ({ ...s, metrics: { ...s.metrics, style, backend: session.profile.metrics?.type ?? null } }));
  const savedQueriesFile = savedQueriesPath(env, session.profile.name);
  const cache = new LiveCache(session, profiles);
  void cache.refresh();
  const recorder = top.record ? new Recorder(top.record, session.profile.name, new Date()) : null;
  const terminal = enterConsoleMode(process.stdin, process.stdout);
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));

  const consoleIo = (signal: AbortSignal, sink: { out: string; err: string }, onOutput: () => void): FrontendIo => ({
    out: (t) => void ((sink.out += t), onOutput()),
    err: (t) => void ((sink.err += t), onOutput()),
    defaultFormat: 'table',
    width: store.get().cols,
    signal,
    style: async (c) => (c ? style : PLAIN),
    ask: (req) => controller.ask(req.message, req.typeToConfirm ?? null),
    progress: (m) => controller.notice(m),
  });

  /** Runs one line exactly as a script line would run, and logs what it printed. */
  const runLine = async (line: string, signal: AbortSignal): Promise<number> => {
    const sink = { out: '', err: '' };
    // The entry appears when the command starts and fills as output arrives (a watch streams).
    const entry = controller.log({ line, text: '', exitCode: null });
    const show = () => controller.amendLog(entry, { text: (sink.out + sink.err).replace(/\n$/, '') });
    let code: number;
    try {
      const parsed = parseArgs(COMMANDS, tokenize(line, (n) => env[n]), 'replay', version);
      const action = parsed.kind === 'command' ? consoleActionFor(parsed.inv, session.profile.name) : null;
      if (action) {
        // The same syntax check the command does: a bad query is exit 2 with a caret, never sent.
        for (const [i, e] of action.exprs.entries()) await assertValidPromql(e, action.exprs.length > 1 ? `expression ${i + 1}` : 'the expression');
        // A view change, not a command with a result: it is not recorded (a replay would watch forever).
        controller.openMetrics(action.exprs, 'metrics watch', action.intervalMs);
        const n = action.exprs.length;
        controller.amendLog(entry, { text: `opened the metrics pane with ${n} ${n === 1 ? 'query' : 'queries'} live; S saves them, Esc returns to the saved queries`, exitCode: 0 });
        return 0;
      }
      if (parsed.kind === 'command') {
        const g = { ...parsed.inv.globals };
        if (g.profile === undefined) g.profile = globals.profile;
        if (g.config === undefined) g.config = globals.config;
        if (g.dataDir === undefined) g.dataDir = globals.dataDir;
        code = (await execute({ ...parsed.inv, globals: g }, pool, consoleIo(signal, sink, show), version)).exitCode;
      } else {
        sink.out = parsed.kind === 'printed' ? parsed.text : '';
        code = 0;
      }
    } catch (e) {
      const err = toOpsError(e);
      sink.err = formatError(err) + '\n';
      code = exitCodeOf(err.kind);
    }
    controller.amendLog(entry, { text: (sink.out + sink.err).replace(/\n$/, ''), exitCode: code });
    recorder?.command(line, code);
    return code;
  };

  const controller = new Controller({
    store,
    completion: cache,
    runLine,
    runScript: async (text, signal) => {
      const summary = await runReplay(scriptLines('<paste>', text), {
        vars: {},
        env,
        continueOnError: false,
        echo: false,
        report: (t) => controller.log({ line: null, text: t.replace(/\n$/, ''), exitCode: null }),
        exec: async (words) => {
          const before = store.get().log.length;
          const exitCode = await runLine(commandLine(words), signal);
          const entry = store.get().log.slice(before).find((e) => e.line !== null);
          return { exitCode, stdout: entry?.text ?? '', stderr: exitCode === 0 ? '' : (entry?.text ?? ''), data: undefined };
        },
      });
      return summary.exitCode;
    },
    loadView: (view) => levelOf(view.pane, view).load(session, Date.now()),
    minRefreshMs: (view) => levelOf(view.pane, view).minRefreshMs?.(session) ?? 0,
    loadDetail: (plan) => plan.load(session),
    editConfig: async (plan) => {
      const ref = { namespace: plan.namespace, group: plan.group, dataId: plan.dataId };
      const config = await session.config();
      const current = await config.get(ref).catch((e: unknown) => {
        controller.notice(`cannot load ${plan.dataId}: ${(e as Error).message}`);
        return null;
      });
      if (!current) return;
      const dir = mkdtempSync(join(tmpdir(), 'opsdeck-edit-'));
      const file = join(dir, plan.dataId.replace(/[^\w.-]/g, '_'));
      writeFileSync(file, current.content);
      const editor = env.VISUAL || env.EDITOR || 'vi';
      // The file goes as "$1", never spliced into the command text (git does the same): a path
      // with $ or backticks must not run anything.
      const result = terminal.suspend(() => spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' }));
      redraw();
      let edited: string;
      try {
        edited = readFileSync(file, 'utf8');
      } catch (e) {
        rmSync(dir, { recursive: true, force: true });
        return void controller.notice(`cannot read the edited file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); nothing was published`);
      }
      if (result.status !== 0) return void controller.notice(`${editor} exited with ${result.status ?? result.signal}; nothing was published`);
      if (edited === current.content) {
        rmSync(dir, { recursive: true, force: true });
        return void controller.notice(`no changes to ${plan.dataId}`);
      }
      store.set((s) => ({ ...s, detail: { title: `review: ${plan.dataId} version ${current.version} → new`, lines: unifiedDiff(diffLines(current.content, edited)), scroll: 0 } }));
      const ok = await controller.ask(`Publish the edited ${plan.dataId}? It is compare-and-set: it fails if someone changed it since version ${current.version}.`);
      store.set((s) => ({ ...s, detail: null }));
      if (!ok) return void controller.notice(`not published; your edit is kept in ${file}`);
      const path = recorder ? recorder.attach(plan.dataId, edited) : file;
      const words = ['config', 'set', plan.dataId, '--file', path, '--if-md5', current.md5, '--type', current.type];
      if (plan.namespace !== 'public') words.push('--namespace', plan.namespace);
      if (plan.group !== 'DEFAULT_GROUP') words.push('--group', plan.group);
      const line = commandLine(words);
      try {
        await controller.execute(line, (signal) => runLine(line, signal));
      } finally {
        // The edit is published (or the command reported why not); the recording keeps its own copy.
        rmSync(dir, { recursive: true, force: true });
      }
    },
    saveHistory: (entries) => writeHistory(historyFile, entries),
    redraw: () => redraw(),
    exit: () => finish(0),
    owner: DEFAULT_OWNER,
    now: Date.now,
    metrics: {
      fetchRange: async (q, signal) => {
        const answer = await (await session.metrics()).queryRange(q, undefined, signal);
        return { series: matrixToSeries(answer.data as MatrixData), warnings: answer.warnings };
      },
      loadSaved: () => loadSavedQueries(savedQueriesFile),
      save: (saved) => writeSavedQueries(savedQueriesFile, saved),
      serviceQueries: (service) => serviceQueries(session.profile.metrics, service),
      check: (expr) => {
        const engine = promqlEngineNow();
        const problem = engine?.lintPromql(expr)[0];
        return engine === undefined ? undefined : problem ? engine.describeProblem(expr, problem).split('\n')[0]! : null;
      },
    },
  });

  // The prompt takes keys now; the Ink view (React, yoga) loads meanwhile and takes over the screen.
  let ink: { clear(): void; unmount(): void } | null = null;
  const stopBoot = startBootPainter(store, (t) => void process.stdout.write(t));
  let closed = false;
  const inkReady = import('./mount-ink.js').then(({ mountInk }) => {
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
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', onData);
  process.stdin.resume();
  const onResize = () => {
    controller.resize(process.stdout.columns, process.stdout.rows);
    redraw();
  };
  process.stdout.on('resize', onResize);

  const refreshMs = top.refreshMs;
  const refresher = new Refresher(refreshMs, () => controller.tick());
  refresher.start();
  const animator = top.demo ? new DemoAnimator(session) : null;
  animator?.start();
  if (top.demo) controller.log({ line: null, text: 'demo: the fleet is animated in a throwaway data dir; try "services show gateway" or press Esc for the panes', exitCode: null });

  const code = await done;
  closed = true;
  await inkReady.catch(() => undefined);
  if (!ink) stopBoot();
  refresher.stop();
  controller.dispose();
  animator?.stop();
  process.stdin.off('data', onData);
  process.stdout.off('resize', onResize);
  process.off('SIGINT', onSigint);
  process.stdin.pause();
  (ink as { unmount(): void } | null)?.unmount();
  terminal.restore();
  if (demoDir) rmSync(demoDir, { recursive: true, force: true });
  return code;
}

async function chalkStyle(): Promise<Style> {
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return { bold: c.bold, dim: c.dim, red: c.red, green: c.green, yellow: c.yellow, cyan: c.cyan };
}

function quietIo(): FrontendIo {
  return { out: () => undefined, err: () => undefined, defaultFormat: 'json', signal: new AbortController().signal, style: async () => PLAIN };
}

/** History lives per profile under $XDG_STATE_HOME, so prod and dev commands never mix. */
export function historyPath(env: NodeJS.ProcessEnv, profile: string): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(base, 'opsdeck', 'history', `${profile.replace(/[^\w.-]/g, '_')}.txt`);
}

function readHistory(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  } catch {
    return [];
  }
}

function writeHistory(path: string, entries: readonly string[]): void {
  try {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, entries.map(redactLine).join('\n') + '\n', { mode: 0o600 });
  } catch {
    // History is a convenience: a read-only home must not break the console.
  }
}
