import { MAX_TIMER_MS, parseDuration } from '../core/duration.js';
import { usage } from '../core/errors.js';
import { readTimeSpec, type TimeSpec } from '../core/time-spec.js';
import type { CompletionSource, OptionDef, RawValue } from './types.js';

/**
 * One builder per option type. Each returns an OptionDef whose `read` parses the text, checks the
 * bounds the value must fit (so nothing out of range reaches a backend, a timer or a Date) and
 * applies the default, which is written once, here, as the user would type it.
 */

interface Described {
  summary: string;
  short?: string;
  complete?: CompletionSource;
}

/** The value of a single-valued option: given twice, the last one counts (as with commander). */
function last(raw: RawValue): string | undefined {
  if (Array.isArray(raw)) return raw[raw.length - 1];
  return typeof raw === 'string' ? raw : undefined;
}

function all(raw: RawValue): string[] {
  if (raw === undefined || typeof raw === 'boolean') return [];
  return Array.isArray(raw) ? raw : [raw];
}

function describe(o: Described & { value?: string; default?: string }): Omit<OptionDef, 'read'> {
  const d: Omit<OptionDef, 'read'> = { summary: o.summary };
  if (o.short !== undefined) d.short = o.short;
  if (o.value !== undefined) d.value = o.value;
  if (o.default !== undefined) d.default = o.default;
  if (o.complete !== undefined) d.complete = o.complete;
  return d;
}

/** Free text (a name, a filter, an owner id). */
export function stringOpt(o: Described & { value: string; default: string }): OptionDef<string>;
export function stringOpt(o: Described & { value: string }): OptionDef<string | undefined>;
export function stringOpt(o: Described & { value: string; default?: string }): OptionDef<string | undefined> {
  return { ...describe(o), read: (raw) => last(raw) ?? o.default };
}

/** A boolean flag without a value. */
export function flagOpt(o: Described): OptionDef<boolean> {
  return { ...describe(o), read: (raw) => raw === true };
}

/** One of a fixed set of words; the parser refuses others and completion offers them. */
export function choiceOpt<const C extends readonly string[]>(o: Described & { value: string; choices: C; default: C[number] }): OptionDef<C[number]>;
export function choiceOpt<const C extends readonly string[]>(o: Described & { value: string; choices: C }): OptionDef<C[number] | undefined>;
export function choiceOpt<const C extends readonly string[]>(o: Described & { value: string; choices: C; default?: C[number] }): OptionDef<C[number] | undefined> {
  return {
    ...describe(o),
    choices: o.choices,
    read(raw, flag) {
      const v = last(raw) ?? o.default;
      if (v !== undefined && !o.choices.includes(v)) throw usage(`${flag} must be one of ${o.choices.join(', ')}, not "${v}"`, `for example ${flag} ${o.choices[0]}`);
      return v;
    },
  };
}

/** `true` or `false` typed out (Thanos knobs that override a profile value either way). */
export function boolTextOpt(o: Described & { value: string }): OptionDef<boolean | undefined> {
  const choice = choiceOpt({ ...o, choices: ['true', 'false'] as const });
  return { ...choice, read: (raw, flag) => (choice.read(raw, flag) === undefined ? undefined : choice.read(raw, flag) === 'true') };
}

/** A repeatable option: every value given, in order. */
export function listOpt(o: Described & { value: string }): OptionDef<string[]> {
  return { ...describe(o), repeatable: true, read: (raw) => all(raw) };
}

/** A repeatable option whose every value is one of `choices`. */
export function choiceListOpt<const C extends readonly string[]>(o: Described & { value: string; choices: C }): OptionDef<Array<C[number]>> {
  return {
    ...describe(o),
    repeatable: true,
    choices: o.choices,
    read(raw, flag) {
      const values = all(raw);
      const bad = values.find((v) => !o.choices.includes(v));
      if (bad !== undefined) throw usage(`${flag} must be one of ${o.choices.join(', ')}, not "${bad}"`, `for example ${flag} ${o.choices[0]}`);
      return values as Array<C[number]>;
    },
  };
}

/** Repeated `key=value` pairs, read into a record. */
export function keyValueOpt(o: Described & { value: string }): OptionDef<Record<string, string>> {
  return {
    ...describe(o),
    repeatable: true,
    read(raw, flag) {
      const out: Record<string, string> = {};
      for (const pair of all(raw)) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw usage(`${flag} takes key=value, not "${pair}"`, `for example ${flag} zone=eu-1`);
        out[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      return out;
    },
  };
}

interface DurationBounds {
  /** The shortest value accepted, as typed ("0s" allows zero); default: anything above zero. */
  min?: string;
  /** The longest value accepted, as typed; default: what a timer holds (24d). */
  max?: string;
}

/** The default longest duration: 24 days fits a Node timer (2^31 − 1 ms), so every use of a duration can wait that long. */
export const DEFAULT_MAX_DURATION = '24d';

/** A duration ("500ms", "30s", "1h30m", or bare seconds), read as milliseconds within its bounds. */
export function durationOpt(o: Described & DurationBounds & { value?: string; default: string }): OptionDef<number>;
export function durationOpt(o: Described & DurationBounds & { value?: string }): OptionDef<number | undefined>;
export function durationOpt(o: Described & DurationBounds & { value?: string; default?: string }): OptionDef<number | undefined> {
  const maxText = o.max ?? DEFAULT_MAX_DURATION;
  const maxMs = parseDuration(maxText);
  const minMs = o.min === undefined ? null : parseDuration(o.min);
  if (maxMs > MAX_TIMER_MS && o.max === undefined) throw new Error('the default duration bound must fit a timer');
  return {
    ...describe({ ...o, value: o.value ?? 'duration' }),
    read(raw, flag) {
      const text = last(raw) ?? o.default;
      if (text === undefined) return undefined;
      const ms = parseDuration(text, flag);
      const range = minMs === null ? `above zero, up to ${maxText}` : `from ${o.min} to ${maxText}`;
      if (ms > maxMs) throw usage(`${flag} must be at most ${maxText}, not "${text}"`, `give a duration ${range}`);
      if (minMs === null ? ms <= 0 : ms < minMs) {
        throw usage(minMs === null ? `${flag} must be greater than zero, not "${text}"` : `${flag} must be at least ${o.min}, not "${text}"`, `give a duration ${range}`);
      }
      return ms;
    },
  };
}

interface IntBounds {
  min: number;
  /** Default: the largest whole number a double holds exactly (2^53 − 1). */
  max?: number;
}

/** A whole number in decimal digits, within its bounds and always exact (never past 2^53 − 1). */
export function intOpt(o: Described & IntBounds & { value?: string; default: number }): OptionDef<number>;
export function intOpt(o: Described & IntBounds & { value?: string }): OptionDef<number | undefined>;
export function intOpt(o: Described & IntBounds & { value?: string; default?: number }): OptionDef<number | undefined> {
  const max = o.max ?? Number.MAX_SAFE_INTEGER;
  return {
    ...describe({ ...o, value: o.value ?? 'n', default: o.default === undefined ? undefined : String(o.default) }),
    read(raw, flag) {
      const text = last(raw);
      if (text === undefined) return o.default;
      return readInt(text.trim(), flag, o.min, max, text);
    },
  };
}

/** Reads a whole number in [min, max], naming the flag and the range in the error. */
export function readInt(text: string, flag: string, min: number, max: number, shown = text): number {
  const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
  const example = `write it in plain digits, for example ${flag} ${Math.min(max, Math.max(min, 10))}`;
  if (!/^\d+$/.test(text)) throw usage(`${flag} must be a whole number ${range}, not "${shown}"`, example);
  const n = Number(text);
  if (n > Number.MAX_SAFE_INTEGER) throw usage(`${flag} must be at most ${Number.MAX_SAFE_INTEGER}, not "${shown}"`, 'larger numbers cannot be read exactly');
  if (n < min || n > max) throw usage(`${flag} must be a whole number ${range}, not "${shown}"`, example);
  return n;
}

/** A decimal number (no exponent) within its bounds, such as a load-balancing weight. */
export function numberOpt(o: Described & { value: string; default: string; min: number; max: number }): OptionDef<number> {
  return {
    ...describe(o),
    read: (raw, flag) => readNumber((last(raw) ?? o.default).trim(), flag, o.min, o.max, `${flag} ${o.default}`),
  };
}

/** Reads a decimal number (no sign, no exponent) in [min, max], naming `name` and the range in the error. */
export function readNumber(text: string, name: string, min: number, max: number, example: string): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw usage(`${name} must be a number from ${min} to ${max}, not "${text}"`, `write it in plain digits, for example ${example}`);
  return n;
}

/** A point in time (RFC 3339, unix seconds, now, now-1h), checked when read and resolved against the clock when used. */
export function timeOpt(o: Described & { value?: string }): OptionDef<TimeSpec | undefined> {
  return {
    ...describe({ ...o, value: o.value ?? 'time' }),
    read(raw, flag) {
      const text = last(raw);
      return text === undefined ? undefined : readTimeSpec(text, flag);
    },
  };
}

/** An md5 as 32 hex digits, for the compare-and-set options; a typo is refused before the backend is asked. */
export function md5Opt(o: Described): OptionDef<string | undefined> {
  return {
    ...describe({ ...o, value: 'md5' }),
    read(raw, flag) {
      const text = last(raw);
      if (text !== undefined && !/^[0-9a-fA-F]{32}$/.test(text)) throw usage(`${flag} must be an md5 of 32 hex digits, not "${text}"`, 'copy it from "opsdeck config get DATAID"');
      return text?.toLowerCase();
    },
  };
}
