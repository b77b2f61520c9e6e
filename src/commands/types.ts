import type { ScopeKind } from '../core/scope.js';
import type { Session } from '../session/session.js';
import type { ProfileSet } from '../session/profile-types.js';

/** Where a completion value comes from; the console resolves these against live backend data. */
export type CompletionSource = 'service' | 'instance' | 'config' | 'lock' | 'profile' | 'namespace' | 'group' | 'datacenter' | 'command' | 'promql' | readonly string[];

/** What the parser collected for one argument or option: text, texts (repeatable or variadic), or true for a flag. */
export type RawValue = string | string[] | boolean | undefined;

/**
 * An argument as a command declares it (the name is its key in the command's `args`): how it is
 * shown and completed, and `read`, which turns the words given into the typed value `run` sees.
 */
export interface ArgDef<T = unknown> {
  summary: string;
  required: boolean;
  variadic?: boolean;
  complete?: CompletionSource;
  /** Throws a usage error naming the argument when the words do not fit. */
  read(raw: RawValue, name: string): T;
}

export interface ArgSpec<T = unknown> extends ArgDef<T> {
  name: string;
}

/**
 * An option as a command (or the global table) declares it. The spec is the one place that knows
 * the option: its flag, placeholder, help text, default (as the user would type it, so help shows
 * it verbatim) and `read`, which parses and bounds the value and applies that default.
 */
export interface OptionDef<T = unknown> {
  short?: string;
  /** Placeholder for the value; absent for boolean flags. */
  value?: string;
  summary: string;
  /** The value used when the option is not given, written as on the command line ("30s"). */
  default?: string;
  repeatable?: boolean;
  choices?: readonly string[];
  complete?: CompletionSource;
  /** The scope kind this option names (`--namespace`): completion offers it only where a backend of the profile has that kind. */
  scope?: ScopeKind;
  /** Turns what was typed (undefined: not given) into the typed value; throws usage errors naming the flag. */
  read(raw: RawValue, flag: string): T;
}

export interface OptionSpec<T = unknown> extends OptionDef<T> {
  /** Long name without dashes ("if-md5"), the key of the option in the command's `options`. */
  name: string;
}

/** The words of one invocation as the parser collected them, before any option type read them. */
export interface Input {
  args: Record<string, RawValue>;
  opts: Record<string, RawValue>;
}

/** What any command's `read` returns; a command defined with `defineCommand` narrows it to its own `TypedInput`. */
export interface ReadInput {
  args: Readonly<Record<string, unknown>>;
  opts: Readonly<Record<string, unknown>>;
  given: ReadonlySet<string>;
}

/** The typed values of a record of argument or option definitions, key by key. */
export type Values<R> = { readonly [K in keyof R]: R[K] extends { read(raw: RawValue, name: string): infer T } ? T : never };

/** What a command's `run` receives: typed arguments and options, and which options were given. */
export interface TypedInput<A, O> {
  args: Values<A>;
  opts: Values<O>;
  /** Options present on the line (a default applied does not count). */
  given: ReadonlySet<keyof O & string>;
}

export interface ConfirmRequest {
  /** What will happen, in one sentence, naming the target. */
  message: string;
  /** When set, the user must type this exact text (for example a lock name) to go ahead. */
  typeToConfirm?: string;
}

/** Everything a command may use. Commands never print; they return data. */
export interface Ctx {
  session: Session;
  profiles: ProfileSet;
  /** The owner id used when --owner is not given: unique to this process. */
  defaultOwner: string;
  version: string;
  signal: AbortSignal;
  now(): number;
  /** Resolves when the user agreed (or --yes was given); throws an OpsError otherwise. */
  confirm(req: ConfirmRequest): Promise<void>;
  readFile(path: string): Promise<string>;
  /**
   * A transient status line (progress of a long scan); shown on a terminal, dropped elsewhere.
   * `detail` is the same progress as data, for a front end that draws it (the console's bench view).
   */
  progress(message: string | null, detail?: unknown): void;
  /** A warning that does not fail the command (a listing cut short), one line on stderr. */
  warn(message: string): void;
  /** The whole table, for `help`. */
  commands: readonly CommandSpec[];
}

/** A command's streaming result (for example `config watch`); frontends render items as they come. */
export interface Stream<T = unknown> {
  readonly stream: AsyncIterable<T>;
}

export function isStream(v: unknown): v is Stream {
  return typeof v === 'object' && v !== null && 'stream' in v && typeof (v as Stream).stream?.[Symbol.asyncIterator] === 'function';
}

export interface CommandSpec {
  /** Words that name the command, e.g. ["locks", "acquire"]. */
  path: readonly string[];
  summary: string;
  args: readonly ArgSpec[];
  options: readonly OptionSpec[];
  examples: readonly string[];
  /** Refused on read-only profiles. */
  mutates: boolean;
  /** Asks for confirmation (or --yes) before it acts. */
  destructive?: boolean;
  /** Needs no profile or backend (version, help): runs even with a broken config file. */
  offline?: boolean;
  /** The result is a document (a shell script) printed as it is, whatever -o says. */
  rawText?: boolean;
  /** Reads the collected words through each argument's and option's type; throws usage errors. */
  read(input: Input): ReadInput;
  /** Reads the input, then runs the command with the typed values. */
  run(ctx: Ctx, input: Input): Promise<unknown>;
  /** Exit code for a successful result that still reports a problem (e.g. `status` with a backend down). */
  exitCode?(data: unknown): number;
}

export function commandId(spec: CommandSpec): string {
  return spec.path.join(' ');
}
