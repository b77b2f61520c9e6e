import { readPath } from '../core/json-path.js';

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
    if (m) return { kind: 'regex', stream, re: new RegExp(m[1]!, m[2]!.replace('g', '')) };
    throw new Error(`write "expect ${what} contains TEXT" or "expect ${what} /REGEX/"`);
  }
  if (what === 'json') {
    const [path, op, ...value] = rest;
    if (path !== undefined && (op === 'exists' || op === 'missing') && value.length === 0) return { kind: 'json', path, op };
    if (path !== undefined && op !== undefined && ['==', '!=', '>', '>=', '<', '<=', 'contains', 'matches'].includes(op) && value.length > 0) {
      return { kind: 'json', path, op: op as JsonOp, value: literal(value.join(' ')) };
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
    case 'regex':
      return e.re.test(r[e.stream]) ? null : `expected ${e.stream} to match ${e.re}`;
    case 'json': {
      let actual: unknown;
      try {
        actual = readPath(r.data, e.path);
      } catch (err) {
        return (err as Error).message;
      }
      const ok = compare(actual, e.op, e.value);
      return ok ? null : `expected json ${e.path} ${e.op}${e.value === undefined ? '' : ' ' + JSON.stringify(e.value)}, got ${actual === undefined ? '(missing)' : JSON.stringify(actual)}`;
    }
  }
}

function compare(actual: unknown, op: JsonOp, expected: unknown): boolean {
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
      return typeof actual === 'string' && new RegExp(String(expected)).test(actual);
    default: {
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      return op === '>' ? actual > expected : op === '>=' ? actual >= expected : op === '<' ? actual < expected : actual <= expected;
    }
  }
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
