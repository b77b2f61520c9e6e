import { didYouMean } from '../../core/did-you-mean.js';
import { parseDuration } from '../../core/duration.js';
import { OpsError } from '../../core/errors.js';
import { isSecretName, redactText } from '../../core/redact.js';

/**
 * Option readers for profile backend entries, so every adapter validates its options the same
 * way. An adapter declares its options once (`defineOptions`: keys, types, defaults, bounds) in a
 * module that loads no client library; the profile loader checks each entry with it when the file
 * loads, and the adapter reads its typed options through the same declaration when it connects.
 *
 * Values holding `${ENV}` or `${file:…}` references are resolved only when the adapter connects.
 * So when the file loads such a value is not checked yet (only that its key exists, and for a URL
 * the scheme written before the reference), and checks across keys that involve it wait too; when
 * the adapter connects the resolved text is read by the same reader, as text (`"5000"` is 5000).
 * A literal string where a number or boolean belongs is refused at load (YAML quotes made it text).
 */

export type OptionPath = ReadonlyArray<string | number>;

/** `tables[0].columns.name`, for messages. */
export function pathText(path: OptionPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * A problem with one option. `path` leads from the backend entry to the key (`on: 'key'`, an
 * unknown option) or the value (`on: 'value'`); the profile loader turns it into file:line:col.
 * `detail` is the sentence about the option, `message` prefixes it with the backend's label.
 */
export class OptionError extends OpsError {
  constructor(
    readonly path: OptionPath,
    readonly on: 'key' | 'value',
    readonly detail: string,
    hint: string,
    label: string,
  ) {
    super('config', `${label}: ${detail}`, hint);
  }
}

/** How options are being read: see the module comment. */
export type ReadMode = 'load' | 'connect';

export interface ReadContext {
  readonly mode: ReadMode;
  /** The backend type (one schema may serve several, e.g. prometheus and thanos). */
  readonly type: string;
  /** Prefix of messages thrown outside the profile loader, e.g. "redis". */
  readonly label: string;
  readonly readme: string;
  path: Array<string | number>;
  /** Set when a value was left for connect time, so checks across keys wait as well. */
  deferred: boolean;
}

export interface Reader<T> {
  /** What the reader accepts, in words: "a whole number from 1 to 100". */
  readonly expects: string;
  /** Reads a value that is present (not undefined). */
  read(v: unknown, c: ReadContext): T;
  /** The value when the key is absent: the default, undefined, or a "needs" error. */
  absent(c: ReadContext): T;
}

const REF = /\$\{[^}]+\}/;
/** setTimeout holds at most 2^31-1 ms (about 24.8 days); longer timers fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

export function fail(c: ReadContext, detail: string, hint?: string, on: 'key' | 'value' = 'value'): never {
  throw new OptionError([...c.path], on, detail, hint ?? `see README "${c.readme}" for the options of ${c.type}`, c.label);
}

const keyOf = (c: ReadContext): string => pathText(c.path) || 'the entry';

/** A value in words for messages; never a secret (by key name) and never a URL's password. */
function shown(v: unknown, c: ReadContext): string {
  const secret = isSecretName(String(c.path[c.path.length - 1] ?? ''));
  if (v === null) return 'empty (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') {
    if (secret) return 'a string';
    const t = redactText(v);
    return JSON.stringify(t.length > 60 ? `${t.slice(0, 57)}...` : t);
  }
  if (secret) return `a ${typeof v}`;
  return String(v);
}

interface LeafSpec<T> {
  default?: T;
  /** Absent is an error; the text is an example of the key, for the hint. */
  required?: string;
  hint?: string;
  /** At load, a value with a reference: check what can be checked already (a URL's scheme). */
  precheck?: (text: string, c: ReadContext) => void;
}

/** A reader for one value; `parse` sees literal values, or the resolved text at connect. */
export function leaf<T>(expects: string, parse: (v: unknown, c: ReadContext) => T, spec: LeafSpec<T> = {}): Reader<T> {
  return {
    expects,
    read(v, c) {
      if (c.mode === 'load' && typeof v === 'string' && REF.test(v)) {
        spec.precheck?.(v, c);
        c.deferred = true;
        return undefined as T;
      }
      return parse(v, c);
    },
    absent(c) {
      if (spec.required !== undefined) fail(c, `needs ${keyOf(c)}`, `for example ${spec.required}`);
      return spec.default as T;
    },
  };
}

/** The common refusal: "KEY must be EXPECTS, not VALUE", with a quoting hint for "5000"-like text. */
export function wrongValue(c: ReadContext, expects: string, v: unknown, hint?: string): never {
  if (typeof v === 'string' && c.mode === 'load' && /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$|^\s*(true|false)\s*$/.test(v)) {
    fail(c, `${keyOf(c)} must be ${expects}, not the string ${JSON.stringify(v)}`, `write it without quotes: ${c.path[c.path.length - 1]}: ${v.trim()}`);
  }
  fail(c, `${keyOf(c)} must be ${expects}, not ${shown(v, c)}`, hint);
}

function range(min: number, max: number, what: string): string {
  if (max === Number.MAX_SAFE_INTEGER || max === Infinity) return `${what} of at least ${min}`;
  return `${what} from ${min} to ${max}`;
}

/** A number as given, or (at connect) as the text a reference resolved to. */
function numeric(v: unknown, c: ReadContext): number | undefined {
  if (typeof v === 'number') return v;
  if (c.mode === 'connect' && typeof v === 'string' && /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/.test(v)) return Number(v);
  return undefined;
}

interface NumberSpec {
  min?: number;
  max?: number;
  hint?: string;
}

/** A number within bounds; `whole` refuses fractions. */
function numberReader(spec: NumberSpec & { default?: number; required?: string }, whole: boolean): Reader<number | undefined> {
  const min = spec.min ?? (whole ? 1 : 0);
  const max = spec.max ?? Number.MAX_SAFE_INTEGER;
  const expects = range(min, max, whole ? 'a whole number' : 'a number');
  return leaf(
    expects,
    (v, c) => {
      const n = numeric(v, c);
      if (n === undefined || !(whole ? Number.isSafeInteger(n) : Number.isFinite(n)) || n < min || n > max) wrongValue(c, expects, v, spec.hint);
      return n;
    },
    spec,
  );
}

/** A whole number within bounds (default: at least 1, at most the largest safe integer). */
export function int(spec: NumberSpec & { default: number }): Reader<number>;
export function int(spec?: NumberSpec & { required?: string }): Reader<number | undefined>;
export function int(spec: NumberSpec & { default?: number; required?: string } = {}): Reader<number | undefined> {
  return numberReader(spec, true);
}

/** A finite number within bounds (default: at least 0), fractions allowed. */
export function num(spec: NumberSpec & { default: number }): Reader<number>;
export function num(spec?: NumberSpec & { required?: string }): Reader<number | undefined>;
export function num(spec: NumberSpec & { default?: number; required?: string } = {}): Reader<number | undefined> {
  return numberReader(spec, false);
}

interface DurationSpec {
  /** Bounds in ms; by default 1 ms to what a timer holds. */
  min?: number;
  max?: number;
  /**
   * Whether a bare number means milliseconds (keys named …Ms). Elsewhere a unit is required: a
   * bare number used to mean seconds in some keys, and a silent change of meaning is worse than a
   * refusal.
   */
  bareMs: boolean;
  default?: number;
  hint?: string;
}

function formatMs(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms >= 86_400_000 ? `${Math.floor(ms / 86_400_000)}d` : `${ms}ms`;
}

/** A duration: a number of milliseconds (where `bareMs`) or text with units via core/duration. */
export function duration(spec: DurationSpec & { default: number }): Reader<number>;
export function duration(spec: DurationSpec): Reader<number | undefined>;
export function duration(spec: DurationSpec): Reader<number | undefined> {
  const min = spec.min ?? 1;
  const max = spec.max ?? MAX_TIMER_MS;
  const bounds = `from ${formatMs(min)} to ${formatMs(max)}`;
  const expects = spec.bareMs ? `a duration ${bounds}: milliseconds (5000) or with a unit (5s)` : `a duration with a unit (such as 30s or 5m) ${bounds}`;
  return leaf(
    expects,
    (v, c) => {
      let ms: number | undefined;
      const bare = typeof v === 'number' || (typeof v === 'string' && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(v));
      if (bare) {
        if (!spec.bareMs) fail(c, `${keyOf(c)} needs a unit, not ${shown(v, c)}`, `write it as ${String(v).trim()}s or ${String(v).trim()}m, for example`);
        ms = numeric(v, c);
        if (ms === undefined) wrongValue(c, expects, v);
        if (!Number.isInteger(ms)) fail(c, `${keyOf(c)} must be a whole number of milliseconds, not ${shown(v, c)}`, spec.hint);
      } else if (typeof v === 'string') {
        try {
          ms = parseDuration(v, keyOf(c));
        } catch {
          wrongValue(c, expects, v, spec.hint ?? 'units: ms, s, m, h, d (1h30m works too)');
        }
      } else wrongValue(c, expects, v, spec.hint);
      if (!(ms >= min && ms <= max)) fail(c, `${keyOf(c)} must be ${bounds}, not ${shown(v, c)}`, spec.hint);
      return ms;
    },
    spec,
  );
}

/** true or false (at connect also the text "true"/"false" a reference resolved to). */
export function bool(spec: { default: boolean; hint?: string }): Reader<boolean>;
export function bool(spec?: { hint?: string }): Reader<boolean | undefined>;
export function bool(spec: { default?: boolean; hint?: string } = {}): Reader<boolean | undefined> {
  return leaf(
    'true or false',
    (v, c) => {
      if (typeof v === 'boolean') return v;
      if (c.mode === 'connect' && typeof v === 'string' && /^\s*(true|false)\s*$/.test(v)) return v.trim() === 'true';
      return wrongValue(c, 'true or false', v, spec.hint);
    },
    spec,
  );
}

interface StrSpec {
  default?: string;
  required?: string;
  /** Empty text is refused. */
  nonEmpty?: boolean;
  /** What the text must look like, and the words for it. */
  pattern?: { re: RegExp; what: string };
  hint?: string;
}

/** Text. A YAML number where text belongs is refused (unquoted, 0123 would already be 123). */
export function str(spec: StrSpec & ({ default: string } | { required: string })): Reader<string>;
export function str(spec?: StrSpec): Reader<string | undefined>;
export function str(spec: StrSpec = {}): Reader<string | undefined> {
  const expects = spec.pattern?.what ?? (spec.nonEmpty ? 'non-empty text' : 'text');
  return leaf(
    expects,
    (v, c) => {
      if (typeof v === 'number' || typeof v === 'boolean') fail(c, `${keyOf(c)} must be text, not ${shown(v, c)}`, `quote it, as in ${c.path[c.path.length - 1]}: "…"`);
      if (typeof v !== 'string') wrongValue(c, expects, v, spec.hint);
      if (spec.nonEmpty && v.trim() === '') fail(c, `${keyOf(c)} must not be empty`, spec.hint);
      if (spec.pattern && !spec.pattern.re.test(v)) wrongValue(c, spec.pattern.what, v, spec.hint);
      return v;
    },
    spec,
  );
}

/** One of fixed words; a YAML number matching one (`version: 7`) counts as that word. */
export function oneOf<const V extends string>(values: readonly V[], spec: { default: V; hint?: string }): Reader<V>;
export function oneOf<const V extends string>(values: readonly V[], spec?: { hint?: string; required?: string }): Reader<V | undefined>;
export function oneOf<const V extends string>(values: readonly V[], spec: { default?: V; hint?: string; required?: string } = {}): Reader<V | undefined> {
  const expects = `one of ${values.join(', ')}`;
  return leaf(
    expects,
    (v, c) => {
      const s = typeof v === 'number' ? String(v) : v;
      if (typeof s !== 'string' || !values.includes(s as V)) wrongValue(c, expects, v, spec.hint);
      return s as V;
    },
    spec,
  );
}

/** Any checked value: `parse` returns it or calls `fail`. */
export function custom<T>(expects: string, parse: (v: unknown, c: ReadContext) => T, spec: LeafSpec<T> = {}): Reader<T> {
  return leaf(expects, parse, spec);
}

/** A list of readers' values; each item's problems name its index. */
export function list<T>(item: Reader<T>, spec: { nonEmpty?: boolean; hint?: string; default?: T[] } = {}): Reader<Array<NonNullable<T>> | undefined> {
  const expects = `a list${spec.nonEmpty ? ' (not empty)' : ''}`;
  return {
    expects,
    read(v, c) {
      if (!Array.isArray(v)) wrongValue(c, expects, v, spec.hint);
      if (spec.nonEmpty && v.length === 0) fail(c, `${keyOf(c)} must not be an empty list`, spec.hint);
      return v.map((x, i) => within(c, i, () => item.read(x, c) as NonNullable<T>));
    },
    absent: () => spec.default as Array<NonNullable<T>> | undefined,
  };
}

/** A list of text items, each optionally matching a pattern; items are trimmed. */
export function strList(spec: { nonEmpty?: boolean; item?: { re: RegExp; what: string }; hint?: string } = {}): Reader<string[] | undefined> {
  const item = str({ nonEmpty: true, hint: spec.hint });
  const trimmed: Reader<string> = {
    expects: item.expects,
    read(v, c) {
      const s = item.read(v, c);
      if (s === undefined) return s as unknown as string;
      if (spec.item && !spec.item.re.test(s.trim())) wrongValue(c, spec.item.what, v, spec.hint);
      return s.trim();
    },
    absent: (c) => item.absent(c) as string,
  };
  return list(trimmed, spec);
}

/** A mapping of names to text (request headers). */
export function strMap(spec: { hint?: string } = {}): Reader<Record<string, string> | undefined> {
  const value = str({ hint: spec.hint });
  return {
    expects: 'a mapping of names to text',
    read(v, c) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) wrongValue(c, 'a mapping of names to text', v, spec.hint);
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, within(c, k, () => value.read(x, c))])) as Record<string, string>;
    },
    absent: () => undefined,
  };
}

function within<T>(c: ReadContext, key: string | number, fn: () => T): T {
  c.path.push(key);
  try {
    return fn();
  } finally {
    c.path.pop();
  }
}

/** Checks that need several keys; `fail` names the key it blames. */
export interface Across {
  fail(key: string | OptionPath, detail: string, hint?: string): never;
  readonly type: string;
}

type Fields = Record<string, Reader<unknown>>;
export type Read<F extends Fields> = { [K in keyof F]: F[K] extends Reader<infer T> ? T : never };

/**
 * A mapping with known keys: an unknown key is an error naming the closest known one. `finish`
 * checks across keys and shapes the result; at load it runs only when no value was deferred.
 */
export function fields<F extends Fields>(spec: F, opts: { hint?: string; whenAbsent: 'defaults' }): Reader<Read<F>>;
export function fields<F extends Fields>(spec: F, opts?: { hint?: string }): Reader<Read<F> | undefined>;
export function fields<F extends Fields, R>(spec: F, opts: { hint?: string; finish: (o: Read<F>, x: Across) => R }): Reader<R | undefined>;
export function fields<F extends Fields, R>(spec: F, opts: { hint?: string; whenAbsent?: 'defaults'; finish?: (o: Read<F>, x: Across) => R } = {}): Reader<R | undefined> {
  const known = Object.keys(spec);
  const reader: Reader<R | undefined> = {
    expects: 'a mapping',
    read(v, c) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) wrongValue(c, `a mapping with ${known.join(', ')}`, v, opts.hint);
      const raw = v as Record<string, unknown>;
      for (const k of Object.keys(raw)) {
        if (!Object.hasOwn(spec, k)) {
          const near = didYouMean(k, known);
          within(c, k, () => fail(c, `unknown option ${pathText(c.path)}`, `${near ? `did you mean ${near}? ` : ''}${c.path.length > 1 ? `${pathText(c.path.slice(0, -1))} takes` : `${c.type} takes`}: ${known.join(', ')}`, 'key'));
        }
      }
      const before = c.deferred;
      c.deferred = false;
      const out: Record<string, unknown> = {};
      for (const k of known) out[k] = within(c, k, () => (raw[k] === undefined ? spec[k]!.absent(c) : spec[k]!.read(raw[k], c)));
      const deferred = c.deferred;
      c.deferred = before || deferred;
      if (!opts.finish) return out as R;
      if (deferred && c.mode === 'load') return undefined;
      const across: Across = {
        type: c.type,
        fail: (key, detail, hint) => {
          const rel = typeof key === 'string' ? [key] : key;
          c.path.push(...rel);
          try {
            return fail(c, detail, hint);
          } finally {
            c.path.length -= rel.length;
          }
        },
      };
      return opts.finish(out as Read<F>, across);
    },
    // 'defaults': an absent mapping reads as an empty one, so each key's default applies.
    absent: (c) => (opts.whenAbsent === 'defaults' ? reader.read({}, c) : undefined),
  };
  return reader;
}

/**
 * Mappings of several shapes told apart by one key (`layout: shedlock | int-lock | unique-key`):
 * each variant is a `fields` reader for the keys other than the tag.
 */
export function union<V extends Record<string, Reader<unknown>>>(tag: string, variants: V, spec: { hint?: string } = {}): Reader<(V[keyof V] extends Reader<infer T> ? NonNullable<T> : never) | undefined> {
  const names = Object.keys(variants);
  const tagReader = oneOf(names, { required: `${tag}: ${names[0]}`, hint: spec.hint });
  return {
    expects: `a mapping with ${tag}: ${names.join(' | ')}`,
    read(v, c) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) wrongValue(c, `a mapping with ${tag}: ${names.join(' | ')}`, v, spec.hint);
      const { [tag]: which, ...rest } = v as Record<string, unknown>;
      const name = within(c, tag, () => (which === undefined ? tagReader.absent(c) : tagReader.read(which, c)));
      if (name === undefined) {
        c.deferred = true;
        return undefined as never;
      }
      return variants[name]!.read(rest, c) as never;
    },
    absent: () => undefined as never,
  };
}

interface UrlSpec {
  /** Accepted schemes, without "://"; they may depend on the backend type. */
  schemes: readonly string[] | ((type: string) => readonly string[]);
  required?: string;
  hint?: string;
}

const schemeOf = (text: string) => /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();

const schemesOf = (spec: UrlSpec, c: ReadContext) => (typeof spec.schemes === 'function' ? spec.schemes(c.type) : spec.schemes);
const urlExpects = (spec: UrlSpec, c: ReadContext) => `a ${schemesOf(spec, c).map((s) => `${s}://`).join(' or ')} URL`;

function checkScheme(text: string, c: ReadContext, spec: UrlSpec): void {
  const scheme = schemeOf(text);
  if (scheme === undefined || !schemesOf(spec, c).includes(scheme)) wrongValue(c, urlExpects(spec, c), text, spec.hint);
}

/** A URL with a reference in it: the scheme written before the reference, if any. */
function checkSchemeBefore(text: string, c: ReadContext, spec: UrlSpec): void {
  const before = text.slice(0, text.search(REF));
  if (!before.includes('://')) return;
  const scheme = schemeOf(before);
  if (scheme === undefined || !schemesOf(spec, c).includes(scheme)) wrongValue(c, urlExpects(spec, c), text, spec.hint);
}

// Only the scheme can be checked while a reference is unresolved, and only if written before it.
const urlPrecheck = (spec: UrlSpec) => (text: string, c: ReadContext) => checkSchemeBefore(text, c, spec);

/** A URL kept as written (database and Redis drivers read credentials from it themselves). */
export function url(spec: UrlSpec & { required: string }): Reader<string>;
export function url(spec: UrlSpec): Reader<string | undefined>;
export function url(spec: UrlSpec): Reader<string | undefined> {
  return leaf(
    'a URL',
    (v, c) => {
      if (typeof v !== 'string') wrongValue(c, urlExpects(spec, c), v, spec.hint);
      checkScheme(v, c, spec);
      return v;
    },
    { ...spec, precheck: urlPrecheck(spec) },
  );
}

/** A URL without its credentials, and the credentials that were written into it. */
export interface UrlWithAuth {
  /** Without `user:password@` and without a trailing slash. */
  url: string;
  username: string | undefined;
  password: string | undefined;
}

/**
 * An HTTP(S) base URL whose `user:password@` is taken out: HTTP clients do not send it, and the
 * URL goes into every message. The adapter turns the credentials into its own auth.
 */
export function urlWithAuth(spec: UrlSpec & { required: string }): Reader<UrlWithAuth> {
  return leaf(
    'a URL',
    (v, c) => {
      if (typeof v !== 'string') wrongValue(c, urlExpects(spec, c), v, spec.hint);
      checkScheme(v, c, spec);
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        return fail(c, `${keyOf(c)} ${shown(v, c)} is not a valid URL`, spec.hint);
      }
      if (u.hostname === '') fail(c, `${keyOf(c)} ${shown(v, c)} names no host`, spec.hint);
      if (u.username === '' && u.password === '') return { url: v.replace(/\/+$/, ''), username: undefined, password: undefined };
      let username: string;
      let password: string;
      try {
        username = decodeURIComponent(u.username);
        password = decodeURIComponent(u.password);
      } catch {
        return fail(c, `${keyOf(c)} has a badly %-encoded user or password`, 'write % in a password as %25');
      }
      u.username = '';
      u.password = '';
      return { url: u.toString().replace(/\/+$/, ''), username, password };
    },
    { ...spec, precheck: urlPrecheck(spec) },
  );
}

/**
 * The username and password of an entry with a `urlWithAuth` url and `username`/`password` keys:
 * the keys win, credentials written into the url count when the keys are absent, and one without
 * the other is refused (naming the key that is missing). `none` says when neither is needed.
 */
export function credentialsOf(o: { url: UrlWithAuth; username?: string | undefined; password?: string | undefined }, x: Across, words: { none: string; secret: string }): { username: string | undefined; password: string | undefined } {
  const username = o.username ?? o.url.username;
  const password = o.password ?? (o.username === undefined ? o.url.password : undefined);
  if ((username === undefined) !== (password === undefined)) {
    x.fail(username === undefined ? 'password' : 'username', `give both username and password, or neither (${words.none})`, `the password may come from \${${words.secret}} or \${file:...}`);
  }
  return { username, password };
}

/** One adapter type's options: the readers, and how to read a profile entry with them. */
export interface OptionSchema<T> {
  readonly keys: readonly string[];
  /**
   * Reads a backend entry's options (without `type` and `name`). Throws an OptionError. At load
   * the result is not complete (deferred values are undefined) and is only a check.
   */
  read(raw: Record<string, unknown>, how?: { mode?: ReadMode; type?: string; label?: string }): T;
}

/** Declares an adapter's options; `readme` names the README section that documents them. */
export function defineOptions<F extends Fields, R = Read<F>>(
  meta: { type: string; readme: string },
  spec: F,
  finish?: (o: Read<F>, x: Across) => R,
): OptionSchema<R> {
  const reader = finish ? fields(spec, { finish }) : fields(spec);
  return {
    keys: Object.keys(spec),
    read(raw, how = {}) {
      const type = how.type ?? meta.type;
      const c: ReadContext = { mode: how.mode ?? 'connect', type, label: how.label ?? type, readme: meta.readme, path: [], deferred: false };
      return reader.read(raw, c) as R;
    },
  };
}
