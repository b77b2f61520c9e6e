import { createContext, runInContext, type Context } from 'node:vm';
import { parsePath, readPath } from '../core/json-path.js';

/** What a command left behind for the expectation lines that follow it. */
export interface LastResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  data: unknown;
}

export type Expectation =
  | { kind: 'exit'; code: number }
  | { kind: 'text'; stream: 'stdout' | 'stderr'; mode: 'contains' | 'not-contains'; text: string }
  | { kind: 'regex'; stream: 'stdout' | 'stderr'; re: RegExp }
  | { kind: 'json'; path: string; op: JsonOp; value?: unknown };

export type JsonOp = '==' | '!=' | '>' | '>=' | '<' | '<=' | 'exists' | 'missing' | 'contains' | 'matches';

/**
 * Parses the words after `expect`:
 *   exit N · stdout|stderr contains TEXT · stdout|stderr not-contains TEXT · stdout|stderr /RE/flags
 *   json PATH OP VALUE (OP: == != > >= < <= contains matches) · json PATH exists|missing
 */
export function parseExpectation(words: string[]): Expectation {
  const [what, ...rest] = words;
  if (what === 'exit') {
    if (rest.length !== 1 || !/^\d+$/.test(rest[0]!)) throw new Error('write "expect exit N"');
    return { kind: 'exit', code: Number(rest[0]) };
  }
  if (what === 'stdout' || what === 'stderr' || what === 'output') {
    const stream = what === 'stderr' ? 'stderr' : 'stdout';
    const [mode, ...text] = rest;
    if ((mode === 'contains' || mode === 'not-contains') && text.length > 0) return { kind: 'text', stream, mode, text: text.join(' ') };
    const m = rest.length === 1 ? /^\/(.*)\/([gimsuy]*)$/s.exec(rest[0]!) : null;
    if (m) return { kind: 'regex', stream, re: compile(m[1]!, m[2]!.replace('g', '')) };
    throw new Error(`write "expect ${what} contains TEXT" or "expect ${what} /REGEX/"`);
  }
  if (what === 'json') {
    const [path, op, ...value] = rest;
    // A path that cannot be read is a mistake in the script, found before anything runs.
    if (path !== undefined) parsePath(path);
    if (path !== undefined && (op === 'exists' || op === 'missing') && value.length === 0) return { kind: 'json', path, op };
    if (path !== undefined && op !== undefined && ['==', '!=', '>', '>=', '<', '<=', 'contains', 'matches'].includes(op) && value.length > 0) {
      const expected = literal(value.join(' '));
      if (op === 'matches') compile(String(expected), '');
      return { kind: 'json', path, op: op as JsonOp, value: expected };
    }
    throw new Error('write "expect json PATH OP VALUE", e.g. expect json [0].holder == "alice"');
  }
  throw new Error(`unknown expectation "${what ?? ''}"; use exit, stdout, stderr or json`);
}

/** Returns null when the expectation holds, else a one-line description of the mismatch. */
export function check(e: Expectation, r: LastResult): string | null {
  switch (e.kind) {
    case 'exit':
      return r.exitCode === e.code ? null : `expected exit ${e.code}, got ${r.exitCode}${r.stderr ? `: ${r.stderr.trim().split('\n')[0]}` : ''}`;
    case 'text': {
      const has = r[e.stream].includes(e.text);
      if (e.mode === 'contains') return has ? null : `expected ${e.stream} to contain ${JSON.stringify(e.text)}`;
      return has ? `expected ${e.stream} not to contain ${JSON.stringify(e.text)}` : null;
    }
    case 'regex': {
      const found = boundedTest(e.re, r[e.stream]);
      if (found === 'stopped') return stoppedMessage(e.re, e.stream, r[e.stream].length);
      return found ? null : `expected ${e.stream} to match ${e.re}`;
    }
    case 'json': {
      let actual: unknown;
      try {
        actual = readPath(r.data, e.path);
      } catch (err) {
        return (err as Error).message;
      }
      const ok = compare(actual, e.op, e.value);
      if (ok === 'stopped') return stoppedMessage(compile(String(e.value), ''), `json ${e.path}`, String(actual).length);
      return ok ? null : `expected json ${e.path} ${e.op}${e.value === undefined ? '' : ' ' + JSON.stringify(e.value)}, got ${actual === undefined ? '(missing)' : JSON.stringify(actual)}`;
    }
  }
}

/** True or false, or 'stopped' when a `matches` pattern ran out of time. */
function compare(actual: unknown, op: JsonOp, expected: unknown): boolean | 'stopped' {
  switch (op) {
    case 'exists':
      return actual !== undefined;
    case 'missing':
      return actual === undefined;
    case '==':
      return deepEqual(actual, expected);
    case '!=':
      return !deepEqual(actual, expected);
    case 'contains':
      return Array.isArray(actual) ? actual.some((a) => deepEqual(a, expected)) : typeof actual === 'string' && actual.includes(String(expected));
    case 'matches':
      return typeof actual === 'string' && boundedTest(compile(String(expected), ''), actual);
    default: {
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      return op === '>' ? actual > expected : op === '>=' ? actual >= expected : op === '<' ? actual < expected : actual <= expected;
    }
  }
}

function compile(source: string, flags: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (e) {
    // V8 says "Invalid regular expression: /SOURCE/FLAGS: reason"; keep the reason.
    const message = (e as Error).message;
    throw new Error(`invalid regular expression /${source}/${flags}: ${message.slice(message.lastIndexOf(': ') + 2)}`);
  }
}

/**
 * How long one regular expression of a script may run against one text. JavaScript regexes
 * backtrack, so a pattern like (a+)+$ can take exponential time on a few dozen characters; real
 * checks over real output finish in milliseconds, even on megabytes.
 */
export const REGEX_TIME_LIMIT_MS = 1000;

let sandbox: Context | undefined;

/**
 * Tests `re` against `text`, stopped after `limitMs`. The test runs as a script in a vm context
 * with a timeout: V8's watchdog interrupts a running regex too (the backtracking loop checks for
 * interrupts), and the process carries on. Returns a sentence instead of a boolean when it was
 * stopped. (Node has no linear-time regex engine built in; restricting the pattern language would
 * break ordinary lookarounds and backreferences, which are fine on real output.)
 */
export function boundedTest(re: RegExp, text: string, limitMs = REGEX_TIME_LIMIT_MS): boolean | 'stopped' {
  sandbox ??= createContext({});
  sandbox.re = re;
  sandbox.text = text;
  try {
    return runInContext('re.test(text)', sandbox, { timeout: limitMs }) === true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw e;
    return 'stopped';
  } finally {
    sandbox.re = undefined;
    sandbox.text = undefined;
  }
}

function stoppedMessage(re: RegExp, what: string, length: number): string {
  return `the regular expression ${re} ran longer than ${REGEX_TIME_LIMIT_MS} ms on ${what} (${length} characters) and was stopped (hint: simplify it; nested repetition such as (a+)+ can backtrack without end)`;
}

/** A JSON literal where it parses (3, true, null, "x", [1]); otherwise the bare text. */
export function literal(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
