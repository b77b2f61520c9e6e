import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { checkContent } from '../../commands/config/content-check.js';
import type { ConfigItem } from '../../core/config-center.js';
import type { ConsoleReads } from '../console-reads.js';
import { commandLine } from '../../shell/quote-word.js';
import { editLoop, type EditLoopDeps, type EditOutcome } from './edit-loop.js';
import type { Plan } from './pane-levels.js';

/** What the config pane's `e` needs from the running console. */
export interface EditConfigWorld {
  /** Reads the config as `config get` does. */
  reads: ConsoleReads;
  env: NodeJS.ProcessEnv;
  /** Leaves the console's screen and raw mode while `fn` runs (the editor owns the terminal). */
  suspend<T>(fn: () => T): T;
  redraw(): void;
  review(title: string | null, lines: string[]): void;
  ask(message: string): Promise<boolean>;
  /** Runs a command line as the console runs a pane action (logged, recorded). */
  run(line: string): Promise<{ exitCode: number; stderr: string }>;
  /** Keeps a copy of published content beside the recording; returns its path. */
  attach?(name: string, content: string): string;
  say(text: string): void;
}

/** The real editor, backend and temp files for the edit loop (edit-loop.ts). */
export function editConfig(plan: Extract<Plan, { kind: 'edit-config' }>, w: EditConfigWorld): Promise<EditOutcome> {
  const setLine = (path: string, base: ConfigItem): string => commandLine(['config', 'set', plan.dataId, '--file', path, '--if-match', base.token, '--type', base.type, ...plan.address]);
  const editor = w.env.VISUAL || w.env.EDITOR || 'vi';
  const deps: EditLoopDeps = {
    dataId: plan.dataId,
    load: () => w.reads.read<ConfigItem>(['config', 'get', plan.dataId, ...plan.address]),
    openEditor: async (file) => {
      // The file goes as "$1", never spliced into the command text (git does the same): a path
      // with $ or backticks must not run anything.
      const result = w.suspend(() => spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' }));
      w.redraw();
      return result.status === 0 ? { ok: true } : { ok: false, reason: `${editor} exited with ${result.status ?? result.signal}` };
    },
    check: checkContent,
    review: w.review,
    ask: w.ask,
    setLine,
    publish: (file, content, base) => w.run(setLine(w.attach ? w.attach(plan.dataId, content) : file, base)),
    notice: w.say,
    files: {
      create: (name, content) => {
        const file = join(mkdtempSync(join(tmpdir(), 'opsdeck-edit-')), name.replace(/[^\w.-]/g, '_'));
        writeFileSync(file, content, { mode: 0o600 });
        return file;
      },
      read: (path) => readFileSync(path, 'utf8'),
      write: (path, content) => writeFileSync(path, content),
      remove: (path) => {
        // Only the private directory this edit made.
        if (basename(dirname(path)).startsWith('opsdeck-edit-')) rmSync(dirname(path), { recursive: true, force: true });
      },
    },
  };
  return editLoop(deps);
}
