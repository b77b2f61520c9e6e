import type { Session } from '../session/session.js';
import type { ProfileSet } from '../session/profile-types.js';

/** Where a completion value comes from; the console resolves these against live backend data. */
export type CompletionSource = 'service' | 'instance' | 'config' | 'lock' | 'profile' | 'namespace' | 'group' | 'command' | 'promql' | readonly string[];

export interface ArgSpec {
  name: string;
  summary: string;
  required: boolean;
  variadic?: boolean;
  complete?: CompletionSource;
}

export interface OptionSpec {
  /** Long name without dashes, also the key in Input.opts ("if-md5" → opts["if-md5"]). */
  name: string;
  short?: string;
  /** Placeholder for the value; absent for boolean flags. */
  value?: string;
  summary: string;
  default?: string;
  repeatable?: boolean;
  choices?: readonly string[];
  complete?: CompletionSource;
}

export interface Input {
  args: Record<string, string | string[] | undefined>;
  /** Option values as typed: strings, string[] for repeatable ones, true for flags. */
  opts: Record<string, string | string[] | boolean | undefined>;
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
  /** A transient status line (progress of a long scan); shown on a terminal, dropped elsewhere. */
  progress(message: string | null): void;
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
  run(ctx: Ctx, input: Input): Promise<unknown>;
  /** Exit code for a successful result that still reports a problem (e.g. `status` with a backend down). */
  exitCode?(data: unknown): number;
}

export function commandId(spec: CommandSpec): string {
  return spec.path.join(' ');
}
