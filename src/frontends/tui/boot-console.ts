import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../../commands/table.js';
import type { ProfileSet } from '../../session/profile-types.js';
import { backendName } from '../../session/profile-types.js';
import { PLAIN } from '../../render/style.js';
import type { TopLevel } from '../cli/top-level.js';
import { parseLine } from '../cli/parse-line.js';
import { consoleReads, type ConsoleReads } from '../console-reads.js';
import { execute, type FrontendIo } from '../execute.js';
import type { SessionPool } from '../session-pool.js';
import { paneAnswered, startBootPainter } from './boot-painter.js';
import { historyPath, readHistory } from './history-file.js';
import { levelOf } from './pane-levels.js';
import { initialState, type ConsoleState } from './state.js';
import { Store } from './store.js';
import { enterConsoleMode } from './terminal.js';
import { ViewLoader } from './view-loader.js';

/** What the pool opens for the console: its session, and the profiles it came from. */
type Opened = Awaited<ReturnType<SessionPool['get']>>;

/** What the boot phase hands to the rest of the console (start-console.ts). */
export interface ConsoleBoot {
  globals: TopLevel['globals'];
  session: Opened['session'];
  profiles: ProfileSet;
  store: Store<ConsoleState>;
  reads: ConsoleReads;
  terminal: ReturnType<typeof enterConsoleMode>;
  /** The throwaway data dir of `--demo`, removed when the console closes. */
  demoDir: string | null;
  historyFile: string;
  /** Stops the boot painter and clears the screen (Ink, or the exit, takes over). */
  stopBoot(): void;
  /** Resolves when the first pane shows its first answer (or after a bound): the rest may load then. */
  answered: Promise<void>;
  /** The keys typed so far, in order; from now on the caller listens to stdin itself. */
  takeKeys(): string[];
}

/**
 * The console's first phase, kept small so it runs before most of the console's code has loaded:
 * it opens the session, enters the alternate screen, draws the boot frame (status, tabs, prompt)
 * with plain escape codes, starts the first pane's read through the commands, and keeps every key
 * typed meanwhile for the line editor. The controller, completion, charts and Ink load after the
 * first pane has answered (start-console.ts), so they do not compete with that read for the one
 * thread; on an embedded profile the full frame with data is then on screen in about 2× the time
 * node takes to start (bench/console.mjs).
 */
export async function bootConsole({ top, pool, env, version }: { top: TopLevel; pool: SessionPool; env: NodeJS.ProcessEnv; version: string }): Promise<ConsoleBoot> {
  const globals = { ...top.globals };
  let demoDir: string | null = null;
  if (top.demo) {
    // The demo animates a throwaway embedded store under the built-in profile: it never touches
    // the user's data dir or any real backend a profile points at.
    demoDir = mkdtempSync(join(tmpdir(), 'opsdeck-demo-'));
    globals.dataDir = demoDir;
    globals.profile = 'local';
    // A profile file of its own with only the embedded "local" profile, so the user's profile file
    // (which may point at production) is never read for the demo.
    globals.config = join(demoDir, 'profiles.yaml');
    writeFileSync(globals.config, 'profiles:\n  local:\n    registry: {type: embedded}\n    config: {type: embedded}\n    locks: [{type: embedded}]\n    metrics: {type: embedded, scrapeInterval: 2s, flushInterval: 5s}\n');
  }
  const { session, profiles } = await pool.get(globals);
  if (top.demo) {
    const parsed = await parseLine(COMMANDS, ['demo'], 'replay', version);
    if (parsed.kind === 'command') await execute({ ...parsed.inv, globals }, pool, quietIo(), version);
  }
  const historyFile = historyPath(env, session.profile.name);
  const store = new Store<ConsoleState>(
    initialState(
      process.stdout.columns || 100,
      process.stdout.rows || 30,
      { name: session.profile.name, production: session.profile.production, readOnly: session.profile.readOnly },
      readHistory(historyFile),
      top.demo,
      session.backends().map(({ subsystem, spec }) => ({ subsystem, backend: backendName(spec) })),
    ),
  );
  const usesEmbedded = [...session.profile.registry, ...session.profile.config, ...session.profile.locks].some((b) => b.type === 'embedded');
  store.set((s) => ({
    ...s,
    // The pane knows whether a metrics backend exists before its first query.
    metrics: { ...s.metrics, backend: session.profile.metrics?.type ?? null },
    recording: top.record ?? null,
    dataDir: usesEmbedded && !top.demo && session.dataDirFrom !== 'default' ? { dir: session.dataDir, from: session.dataDirFrom } : null,
  }));
  // Every read of the console (panes, completion, the health ping, the demo fleet) runs a command of the table.
  const reads = consoleReads(session, profiles, version);
  // The mouse wheel scrolls the output only where the user opts in: taking mouse reports changes
  // how selecting text works in the terminal (README, "Output area").
  const terminal = enterConsoleMode(process.stdin, process.stdout, { mouse: /^(1|true|yes|on)$/i.test(env.OPSDECK_MOUSE ?? '') });
  const keys: string[] = [];
  const keep = (chunk: string) => void keys.push(chunk);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', keep);
  process.stdin.resume();
  const stopBoot = startBootPainter(store, (t) => void process.stdout.write(t));
  // The first answer of the pane on screen, loaded as the controller's loader will load it later
  // (which then follows the view's push feed; this one only reads once).
  const first = new ViewLoader(
    { store, loadView: (view, scope) => levelOf(view.pane, view).load(reads, Date.now(), scope), now: Date.now },
    () => undefined,
  );
  void first.refresh();
  return {
    globals,
    session,
    profiles,
    store,
    reads,
    terminal,
    demoDir,
    historyFile,
    stopBoot,
    // Bounded, so a hung backend delays the line editor by a fraction of a second at most.
    answered: paneAnswered(store, 200),
    takeKeys: () => {
      process.stdin.off('data', keep);
      return keys.splice(0);
    },
  };
}

function quietIo(): FrontendIo {
  return { out: () => undefined, err: () => undefined, defaultFormat: 'json', signal: new AbortController().signal, style: async () => PLAIN };
}
