import { parseDuration } from '../core/duration.js';
import { usage } from '../core/errors.js';
import type { Input, OptionSpec } from './types.js';

/** Typed readers over Input, so each command states what it expects in one line. */
export function str(input: Input, name: string): string | undefined {
  const v = input.opts[name] ?? input.args[name];
  if (Array.isArray(v)) return v[v.length - 1];
  return typeof v === 'string' ? v : undefined;
}

export function req(input: Input, name: string): string {
  const v = str(input, name);
  if (v === undefined) throw usage(`missing ${name}`, `see "opsdeck help" for the command's usage`);
  return v;
}

export function flag(input: Input, name: string): boolean {
  return input.opts[name] === true;
}

export function list(input: Input, name: string): string[] {
  const v = input.opts[name] ?? input.args[name];
  if (v === undefined || v === true || v === false) return [];
  return Array.isArray(v) ? v : [v];
}

export function duration(input: Input, name: string, fallback?: string): number | undefined {
  const v = str(input, name) ?? fallback;
  return v === undefined ? undefined : parseDuration(v, `--${name}`);
}

export function int(input: Input, name: string, min: number): number | undefined {
  const v = str(input, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v) || Number(v) < min) throw usage(`--${name} must be a whole number of at least ${min}, not "${v}"`);
  return Number(v);
}

/** Parses repeated `k=v` pairs into a record. */
export function keyValues(input: Input, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of list(input, name)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usage(`--${name} takes key=value, not "${pair}"`, `for example --${name} zone=eu-1`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

export const NAMESPACE: OptionSpec = { name: 'namespace', value: 'ns', summary: 'namespace', default: 'public', complete: 'namespace' };
export const GROUP: OptionSpec = { name: 'group', value: 'group', summary: 'group', default: 'DEFAULT_GROUP', complete: 'group' };
export const DEFAULT_NAMESPACE = 'public';
export const DEFAULT_GROUP = 'DEFAULT_GROUP';
