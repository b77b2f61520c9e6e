import { readFileSync, writeFileSync } from 'node:fs';
import { makeDirs } from '../../lib/make-dirs.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { redactText } from '../../core/redact.js';
import { redactWords } from '../../shell/redact-words.js';
import { withoutYes } from '../../shell/without-yes.js';

/** History lives per profile under $XDG_STATE_HOME, so prod and dev commands never mix. */
export function historyPath(env: NodeJS.ProcessEnv, profile: string): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(base, 'opsdeck', 'history', `${profile.replace(/[^\w.-]/g, '_')}.txt`);
}

/**
 * The saved history, without `--yes`: files written by older versions held pane actions with it,
 * and a recalled line must ask again.
 */
export function readHistory(path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .map(withoutYes)
      .filter((l) => l !== '');
  } catch {
    return [];
  }
}

export function writeHistory(path: string, entries: readonly string[]): void {
  try {
    makeDirs(join(path, '..'));
    writeFileSync(path, entries.map(historyFileLine).join('\n') + '\n', { mode: 0o600 });
  } catch {
    // History is a convenience: a read-only home must not break the console.
  }
}

/**
 * A line as the history file keeps it: each secret becomes `${SECRET_n}`, so recalling it in a
 * later session refuses to run (the variable is unset) until the secret is typed in again, and
 * never publishes a mask. A line that does not parse could not run anyway; it is masked as text.
 */
export function historyFileLine(line: string): string {
  try {
    return redactWords(line).line;
  } catch {
    return redactText(line);
  }
}
