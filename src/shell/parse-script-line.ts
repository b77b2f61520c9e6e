import { parsePath } from '../core/json-path.js';
import { parseExpectation, type Expectation } from './expectation.js';
import { splitExpectation, tokenize } from './tokenize.js';

/** What one logical line of a script asks for, read without running anything. */
export type ScriptStep =
  | { kind: 'expect'; expectation: Expectation }
  | { kind: 'set'; name: string; value: string }
  | { kind: 'capture'; name: string; path: string }
  | { kind: 'command'; words: string[] };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads one logical line (continuations already joined): null for a blank line or a comment, else
 * its step. Throws an Error whose message is the reason, for a line that cannot be taken as
 * written (quotes, unset variables, a malformed set/capture/expect). The pre-check and the run
 * both read lines here, so they cannot disagree about what a line means.
 */
export function parseScriptLine(line: string, lookup: (name: string) => string | undefined): ScriptStep | null {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return null;
  if (/^expect(\s|$)/.test(text)) return { kind: 'expect', expectation: parseExpectation(splitExpectation(text.slice(6), lookup)) };
  const words = tokenize(text, lookup);
  if (words.length === 0) return null;
  const [head, ...rest] = words as [string, ...string[]];
  if (head === 'set') {
    const eq = rest[0]?.indexOf('=') ?? -1;
    const name = eq > 0 ? rest[0]!.slice(0, eq) : rest[0];
    const value = eq > 0 ? [rest[0]!.slice(eq + 1), ...rest.slice(1)].join(' ') : rest.slice(1).join(' ');
    if (!name || !NAME.test(name)) throw new Error('write "set NAME VALUE"');
    return { kind: 'set', name, value };
  }
  if (head === 'capture') {
    const [name, kind, path] = rest;
    if (!name || !NAME.test(name) || kind !== 'json' || path === undefined || rest.length > 3) throw new Error('write "capture NAME json PATH" after a command');
    parsePath(path);
    return { kind: 'capture', name, path };
  }
  return { kind: 'command', words };
}
