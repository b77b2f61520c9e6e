import type { ArgDef, ArgSpec, CommandSpec, Ctx, Input, OptionDef, OptionSpec, RawValue, TypedInput, Values } from './types.js';

/** A command as written in its file: arguments and options keyed by name, and a `run` over their typed values. */
export interface CommandDef<A extends Record<string, ArgDef>, O extends Record<string, OptionDef>> {
  path: readonly string[];
  summary: string;
  args: A;
  options: O;
  examples: readonly string[];
  mutates: boolean;
  destructive?: boolean;
  offline?: boolean;
  rawText?: boolean;
  run(ctx: Ctx, input: TypedInput<A, O>): Promise<unknown>;
  exitCode?(data: unknown): number;
}

/** A table command whose `read` keeps the precise types, for callers that look at one command's values. */
export interface TypedCommand<A extends Record<string, ArgDef>, O extends Record<string, OptionDef>> extends CommandSpec {
  read(input: Input): TypedInput<A, O>;
}

/**
 * Builds a table command. TypeScript infers the typed input from the definitions, so `run` sees
 * `opts.ttl` as milliseconds with its default applied, and a misspelt option name does not compile.
 * The parser, completion and help read the same definitions, so a flag is declared once.
 */
export function defineCommand<A extends Record<string, ArgDef>, O extends Record<string, OptionDef>>(def: CommandDef<A, O>): TypedCommand<A, O> {
  const args: ArgSpec[] = Object.entries(def.args).map(([name, a]) => ({ ...a, name }));
  const options = optionSpecs(def.options);
  const read = (input: Input): TypedInput<A, O> => {
    const argValues: Record<string, unknown> = {};
    for (const a of args) argValues[a.name] = a.read(input.args[a.name], a.name);
    const given = new Set(options.filter((o) => input.opts[o.name] !== undefined).map((o) => o.name));
    return { args: argValues, opts: readOptions(def.options, input.opts), given } as unknown as TypedInput<A, O>;
  };
  const spec: TypedCommand<A, O> = {
    path: def.path,
    summary: def.summary,
    args,
    options,
    examples: def.examples,
    mutates: def.mutates,
    read,
    run: (ctx, input) => def.run(ctx, read(input)),
  };
  if (def.destructive !== undefined) spec.destructive = def.destructive;
  if (def.offline !== undefined) spec.offline = def.offline;
  if (def.rawText !== undefined) spec.rawText = def.rawText;
  if (def.exitCode) spec.exitCode = def.exitCode;
  return spec;
}

/** A record of option definitions as the list the parser, completion and help walk, in declaration order. */
export function optionSpecs(defs: Record<string, OptionDef>): OptionSpec[] {
  return Object.entries(defs).map(([name, o]) => ({ ...o, name }));
}

/** Reads collected option words (keyed by long name) through each definition: typed values, defaults applied. */
export function readOptions<O extends Record<string, OptionDef>>(defs: O, raw: Readonly<Record<string, RawValue>>): Values<O> {
  const out: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(defs)) out[name] = o.read(raw[name], `--${name}`);
  return out as Values<O>;
}
