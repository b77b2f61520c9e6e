import type { ArgSpec, CommandSpec, CompletionSource, OptionSpec } from '../../commands/types.js';
import type { Scope } from '../../core/scope.js';
import { GLOBAL_OPTION_SPECS as GLOBAL_OPTIONS } from '../../commands/global-options.js';
import { readWord, scanLine, type Word } from './scan-line.js';

/** What the word under the cursor should be. */
export type Target =
  /** Nothing can be offered: an unknown command, a comment, a free-text value, too many args. */
  | { kind: 'none' }
  /** The next word of a command path after `words` (the first word when empty). */
  | { kind: 'command'; words: readonly string[] }
  /** A flag of `spec` (null before the command is known: only global flags) not already in `present`. */
  | { kind: 'flag'; spec: CommandSpec | null; present: ReadonlySet<string> }
  /** A value from `source`: an option's value or a positional argument. */
  | { kind: 'value'; source: CompletionSource; label: string; service?: string; scope?: Scope; backend?: string };

export interface LineContext {
  target: Target;
  /** The span a chosen candidate replaces. */
  from: number;
  to: number;
  /** The part of the word before the cursor, unquoted: what is matched. */
  partial: string;
  /** The quote open at the cursor, '' when none. */
  open: '' | '"' | "'";
}

/**
 * Works out what is being completed at `cursor`: the command words typed so far, which options
 * they set, how many positional arguments precede the cursor, and the partial word itself. Only
 * the text before the cursor decides, except that flags anywhere on the line count as present
 * (so they are not offered twice). Global flags are recognised before and after the command words,
 * as the parser accepts them there.
 */
export function analyzeLine(commands: readonly CommandSpec[], line: string, cursor: number): LineContext {
  const at = Math.max(0, Math.min(cursor, line.length));
  const { words, commentAt } = scanLine(line);
  const current = words.find((w) => w.start < at && at <= w.end);
  const from = current ? current.start : at;
  const to = current ? current.end : at;
  const partialWord = current ? readWord(line, current.start, at) : undefined;
  const partial = partialWord?.text ?? '';
  const open = partialWord?.open ?? '';
  const none: LineContext = { target: { kind: 'none' }, from, to, partial, open };
  if (commentAt >= 0 && at > commentAt) return none;

  const before = words.filter((w) => w.end < at);
  const pathWords: string[] = [];
  let spec: CommandSpec | null = null;
  const positionals: string[] = [];
  let pending: OptionSpec | undefined;
  let endOfOptions = false;
  for (const { text } of before) {
    if (pending) {
      pending = undefined;
      continue;
    }
    if (!endOfOptions && spec && text === '--') {
      endOfOptions = true;
      continue;
    }
    if (!endOfOptions && isFlagWord(text)) {
      const found = findFlag(text, optionsOf(spec));
      // A value-taking flag without "=value" takes the next word, whatever it looks like, as the parser does.
      if (found && found.option.value !== undefined && !found.inline) pending = found.option;
      continue;
    }
    // A command that is also a group (`bench URL`, `bench service`): a subcommand's word continues the path.
    if (!spec || (positionals.length === 0 && commands.some((c) => startsWithPath(c.path, [...pathWords, text])))) {
      pathWords.push(text);
      const matching = commands.filter((c) => startsWithPath(c.path, pathWords));
      if (matching.length === 0) return none;
      spec = matching.find((c) => c.path.length === pathWords.length) ?? null;
      continue;
    }
    positionals.push(text);
  }

  if (pending) return { ...none, target: optionValueTarget(pending) };
  if (!endOfOptions && (isFlagWord(partial) || partial === '-')) {
    return flagContext(line, at, current, spec, words, none);
  }
  if (!spec) return { ...none, target: { kind: 'command', words: pathWords } };
  // Before its first argument, a command that is also a group offers its subcommands.
  if (positionals.length === 0 && !spec.args[0]?.complete && commands.some((c) => c.path.length > pathWords.length && startsWithPath(c.path, pathWords))) {
    return { ...none, target: { kind: 'command', words: pathWords } };
  }
  const argIndex = Math.min(positionals.length, lastArgIndex(spec, positionals.length));
  const arg = spec.args[argIndex];
  if (!arg?.complete) return none;
  if (arg.complete === 'command') {
    // help's words name a command: complete the level after the ones already given.
    return { ...none, target: { kind: 'command', words: positionals.slice(argIndex) } };
  }
  if (arg.complete === 'instance') {
    const serviceIndex = spec.args.findIndex((a) => a.name === 'service');
    const service = serviceIndex >= 0 ? positionals[serviceIndex] : undefined;
    if (service === undefined) return none;
    // The instances of the scope the command will address: the scope flags anywhere on the line.
    const { scope, backend } = addressOnLine(words, current, spec);
    return { ...none, target: { kind: 'value', source: 'instance', label: `instance of ${service}`, service, scope, ...(backend === undefined ? {} : { backend }) } };
  }
  if (arg.complete === 'service' || arg.complete === 'config') {
    // Services and config ids of the scope the line names: --namespace staging narrows them.
    const { scope, backend } = addressOnLine(words, current, spec);
    return { ...none, target: { kind: 'value', source: arg.complete, label: argLabel(arg), scope, ...(backend === undefined ? {} : { backend }) } };
  }
  return { ...none, target: { kind: 'value', source: arg.complete, label: argLabel(arg) } };
}

/** The scope options (`--namespace X`, `--group=X`) and `--backend` given anywhere on the line, except in the word being completed. */
function addressOnLine(words: readonly Word[], current: Word | undefined, spec: CommandSpec): { scope: Scope; backend?: string } {
  const scope: Scope = {};
  let backend: string | undefined;
  const options = spec.options;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === current || !w.text.startsWith('--')) continue;
    const found = findFlag(w.text, options);
    if (!found || (found.option.scope === undefined && found.option.name !== 'backend')) continue;
    const next = words[i + 1];
    const value = found.inline ? w.text.slice(w.text.indexOf('=') + 1) : next && next !== current ? next.text : undefined;
    if (value === undefined) continue;
    if (found.option.scope !== undefined) scope[found.option.scope] = value;
    else backend = value;
  }
  return backend === undefined ? { scope } : { scope, backend };
}

/** A word being a flag: "-x" or "--name…", but not "-" (stdin by convention) or a negative number. */
function isFlagWord(text: string): boolean {
  return text.length > 1 && text[0] === '-' && !/^-\d/.test(text);
}

/** The partial word is a flag: offer flag names, or the value after "--name=". */
function flagContext(line: string, at: number, current: Word | undefined, spec: CommandSpec | null, words: readonly Word[], none: LineContext): LineContext {
  const partial = none.partial;
  const eq = partial.indexOf('=');
  if (partial.startsWith('--') && eq > 0 && current) {
    const found = findFlag(partial.slice(0, eq), optionsOf(spec));
    const raw = line.slice(current.start, at);
    const rawEq = raw.indexOf('=');
    // Only a plainly typed "--name=" (no quotes or escapes before the "=") maps onto the line simply.
    if (!found || found.option.value === undefined || rawEq !== eq) return none;
    const valueStart = current.start + rawEq + 1;
    const value = readWord(line, valueStart, at);
    return { target: optionValueTarget(found.option), from: valueStart, to: current.end, partial: value.text, open: value.open };
  }
  const present = new Set<string>();
  for (const w of words) {
    if (w === current || !isFlagWord(w.text)) continue;
    const found = findFlag(w.text, optionsOf(spec));
    if (found) present.add(found.option.name);
  }
  return { ...none, target: { kind: 'flag', spec, present } };
}

function optionValueTarget(option: OptionSpec): Target {
  const label = option.value ?? option.name;
  if (option.choices) return { kind: 'value', source: option.choices, label };
  if (option.complete && option.complete !== 'instance' && option.complete !== 'command') {
    return { kind: 'value', source: option.complete, label: typeof option.complete === 'string' ? option.complete : label };
  }
  return { kind: 'none' };
}

function argLabel(arg: ArgSpec): string {
  return typeof arg.complete === 'string' ? arg.complete : arg.name;
}

/** The options valid at this point: before the command is known only the global ones. */
export function optionsOf(spec: CommandSpec | null): readonly OptionSpec[] {
  if (!spec) return GLOBAL_OPTIONS;
  const own = new Set(spec.options.map((o) => o.name));
  return [...spec.options, ...GLOBAL_OPTIONS.filter((g) => !own.has(g.name))];
}

/** The option a flag word names: --name, --name=value, -x or -xVALUE. */
function findFlag(word: string, options: readonly OptionSpec[]): { option: OptionSpec; inline: boolean } | undefined {
  if (word.startsWith('--')) {
    const eq = word.indexOf('=');
    const name = eq >= 0 ? word.slice(2, eq) : word.slice(2);
    const option = options.find((o) => o.name === name);
    return option && { option, inline: eq >= 0 };
  }
  const option = options.find((o) => o.short !== undefined && o.short === word[1]);
  return option && { option, inline: word.length > 2 };
}

function startsWithPath(path: readonly string[], words: readonly string[]): boolean {
  return words.length <= path.length && words.every((w, i) => path[i] === w);
}

/** Positional index → argument index: extra words beyond the last argument go to it when variadic. */
function lastArgIndex(spec: CommandSpec, index: number): number {
  const last = spec.args.length - 1;
  return index > last && spec.args[last]?.variadic ? last : index;
}
