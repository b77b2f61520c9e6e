import { parseEndpoint } from '../core/endpoint.js';
import { usage } from '../core/errors.js';
import { readNumber } from './option-types.js';
import type { ArgDef, CompletionSource, RawValue } from './types.js';

/** Builders for positional arguments: each says whether the argument is required and reads it into its type. */

interface Described {
  summary: string;
  complete?: CompletionSource;
}

function describe(o: Described, required: boolean, variadic = false): Omit<ArgDef, 'read'> {
  const d: Omit<ArgDef, 'read'> = { summary: o.summary, required };
  if (variadic) d.variadic = true;
  if (o.complete !== undefined) d.complete = o.complete;
  return d;
}

function words(raw: RawValue): string[] {
  if (raw === undefined || typeof raw === 'boolean') return [];
  return Array.isArray(raw) ? raw : [raw];
}

/** A required word. The parser already refuses a missing one; this guards callers that build input by hand. */
export function arg(o: Described): ArgDef<string> {
  return {
    ...describe(o, true),
    read(raw, name) {
      const v = words(raw).at(-1);
      if (v === undefined) throw usage(`missing ${name}`, 'see "opsdeck help" for the command\'s usage');
      return v;
    },
  };
}

/** A required name that cannot be empty (a service, an instance, a data id): '' would name nothing, and some backends would read it as "all". */
export function nameArg(o: Described & { example: string }): ArgDef<string> {
  const text = arg(o);
  return {
    ...text,
    read(raw, name) {
      const v = text.read(raw, name);
      if (v.trim() === '') throw usage(`the ${name} is empty`, `give one, for example ${o.example}`);
      return v;
    },
  };
}

export function optionalArg(o: Described): ArgDef<string | undefined> {
  return { ...describe(o, false), read: (raw) => words(raw).at(-1) };
}

/** The rest of the words; `required` means at least one. */
export function variadicArg(o: Described & { required: boolean }): ArgDef<string[]> {
  return {
    ...describe(o, o.required, true),
    read(raw, name) {
      const all = words(raw);
      if (o.required && all.length === 0) throw usage(`missing ${name}`, 'see "opsdeck help" for the command\'s usage');
      return all;
    },
  };
}

/** An instance address IP:PORT, with the port in 1–65535. */
export function endpointArg(o: Described): ArgDef<{ ip: string; port: number }> {
  const text = arg(o);
  return { ...text, read: (raw, name) => parseEndpoint(text.read(raw, name)) };
}

/** A decimal number within its bounds (a weight), as `numberOpt` reads one. */
export function numberArg(o: Described & { min: number; max: number; example: string }): ArgDef<number> {
  const text = arg(o);
  return { ...text, read: (raw, name) => readNumber(text.read(raw, name).trim(), name, o.min, o.max, o.example) };
}

/** One of a fixed set of words (a shell name, say); completion offers the set. */
export function choiceArg<const C extends readonly string[]>(o: { summary: string; choices: C }): ArgDef<C[number]> {
  const text = arg({ summary: o.summary, complete: o.choices });
  return {
    ...text,
    read(raw, name) {
      const v = text.read(raw, name);
      if (!(o.choices as readonly string[]).includes(v)) throw usage(`${name} must be one of ${o.choices.join(', ')}, not "${v}"`);
      return v as C[number];
    },
  };
}
