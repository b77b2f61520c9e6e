import { Command, CommanderError, Option } from 'commander';
import { didYouMean } from '../../core/did-you-mean.js';
import { OpsError } from '../../core/errors.js';
import { optionSpecs, readOptions } from '../../commands/define-command.js';
import type { CommandSpec, Input, OptionSpec, RawValue } from '../../commands/types.js';
import { GLOBAL_OPTION_SPECS, SCRIPT_OPTIONS, readGlobals, type GlobalOptions } from '../../commands/global-options.js';
import { collected, TOP_LEVEL_SPECS, topLevel, type TopLevel } from './top-level.js';

export interface Invocation {
  spec: CommandSpec;
  input: Input;
  globals: GlobalOptions;
}

export type Parsed =
  | { kind: 'command'; inv: Invocation }
  | { kind: 'replay'; top: TopLevel }
  | { kind: 'top'; top: TopLevel }
  | { kind: 'printed'; text: string };

const collect = (v: string, prev: string[] = []) => [...prev, v];
const SCRIPT_SPECS = optionSpecs(SCRIPT_OPTIONS);

/** The commander option for a spec: its flag string, choices, and collecting when repeatable. */
function commanderOption(o: OptionSpec): Option {
  const opt = new Option(`${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ` <${o.value}>` : ''}`, o.summary);
  if (o.choices) opt.choices(o.choices);
  if (o.repeatable) opt.argParser(collect);
  return opt;
}

function addOptions(cmd: Command, specs: readonly OptionSpec[]): Command {
  for (const o of specs) cmd.addOption(commanderOption(o));
  return cmd;
}

function addGlobals(cmd: Command): Command {
  return addOptions(cmd, GLOBAL_OPTION_SPECS);
}


/**
 * The options given on the line, from the command and the levels above it; where a level nearer
 * the command gave one too, its value wins. Commander's optsWithGlobals lets a level above win,
 * and its implied default of a negatable flag (`color: true` for --no-color) then undid a
 * `--no-color` typed after the command.
 */
function givenOnTheLine(cmd: Command): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let c: Command | null = cmd; c !== null; c = c.parent) {
    for (const [k, v] of Object.entries(c.opts())) if (!(k in out) && c.getOptionValueSource(k) === 'cli') out[k] = v;
  }
  return out;
}

/**
 * Parses argv (or one replay line's words) into an invocation of a table command. The commander
 * program is generated from the table and only parses: running happens outside it, so the CLI,
 * replay and the console all execute commands the same way.
 */
export function parseArgs(commands: readonly CommandSpec[], words: string[], mode: 'cli' | 'replay', version: string): Parsed {
  let parsed: Parsed | undefined;
  let printed = '';
  const program = new Command('opsdeck');
  program
    .exitOverride()
    .configureOutput({ writeOut: (s) => void (printed += s), writeErr: (s) => void (printed += s), outputError: () => undefined })
    .showSuggestionAfterError(true)
    // Top-level -f/--file (scripts) must not swallow a command's own --file (config set).
    .enablePositionalOptions()
    .helpCommand(false)
    .description('A terminal operations console for registries, config, locks and metrics.');
  addGlobals(program);
  if (mode === 'cli') {
    addOptions(program, TOP_LEVEL_SPECS);
    program.argument('[command...]').action((operands: string[], opts: Record<string, unknown>) => {
      if (opts.version) {
        printed = `opsdeck ${version}\n`;
        parsed = { kind: 'printed', text: printed };
        return;
      }
      if (operands.length > 0) {
        // Only the named noun's commands were built, so commander's own suggestion cannot see this one.
        const near = didYouMean(operands[0]!, [...new Set(commands.map((c) => c.path[0]!)), 'replay']);
        throw new OpsError('usage', `unknown command "${operands.join(' ')}"${near ? `; did you mean ${near}?` : ''}`, 'run "opsdeck help" to list the commands');
      }
      parsed = { kind: 'top', top: topLevel(opts, []) };
    });
    addOptions(addGlobals(program.command('replay').description('run script files (or stdin) of console commands').argument('[files...]')), SCRIPT_SPECS)
      .action((files: string[], _opts: unknown, cmd: Command) => {
        parsed = { kind: 'replay', top: topLevel(givenOnTheLine(cmd), files) };
      });
  }
  const groups = new Map<string, Command>();
  // Building commander objects for every command costs start-up time; when the line names a
  // command, only its noun's subtree is needed. Help and "did you mean" still get the full table.
  const wanted = commandsFor(words, commands);
  for (const spec of wanted) {
    let parent = program;
    for (const word of spec.path.slice(0, -1)) {
      let group = groups.get(word);
      if (!group) {
        group = addGlobals(parent.command(word).description(`${word} commands`).helpCommand(false));
        groups.set(word, group);
      }
      parent = group;
    }
    // A command may also be the group of longer ones (`bench URL` beside `bench service NAME`):
    // commander runs its action when the next word names none of its subcommands.
    const last = spec.path[spec.path.length - 1]!;
    const leaf = spec.path.length === 1 && groups.has(last) ? groups.get(last)!.description(spec.summary) : addGlobals(parent.command(last).description(spec.summary));
    if (spec.path.length === 1) groups.set(last, leaf);
    for (const a of spec.args) leaf.argument(a.required ? `<${a.name}${a.variadic ? '...' : ''}>` : `[${a.name}${a.variadic ? '...' : ''}]`, a.summary);
    addOptions(leaf, spec.options);
    leaf.addHelpText('after', spec.examples.length > 0 ? `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}\n` : '');
    leaf.action((...all: unknown[]) => {
      const cmd = all[all.length - 1] as Command;
      const args: Input['args'] = {};
      spec.args.forEach((a, i) => (args[a.name] = all[i] as string | string[] | undefined));
      const opts: Input['opts'] = {};
      for (const [name, v] of Object.entries(collected(spec.options, cmd.opts()))) if (v !== undefined) opts[name] = v;
      const input = { args, opts };
      // Every value is read (parsed and bounded) now, so a bad one is a usage error before
      // anything runs: a script is refused at its line, not halfway through a command.
      spec.read(input);
      parsed = { kind: 'command', inv: { spec, input, globals: readGlobals(collected(GLOBAL_OPTION_SPECS, givenOnTheLine(cmd))) } };
    });
  }
  try {
    program.parse(words, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return { kind: 'printed', text: printed };
      if (e.code === 'commander.help') throw new OpsError('usage', `"${words.join(' ')}" needs a subcommand`, `run "opsdeck help${words[0] ? ' ' + words[0] : ''}" to see them`);
      throw new OpsError('usage', cleanCommanderMessage(e.message), `run "opsdeck help${helpTarget(commands, words)}" for usage`);
    }
    throw e;
  }
  if (!parsed) throw new OpsError('usage', 'nothing to run', 'run "opsdeck help"');
  return parsed;
}

/** Flags of the top level that take a value, as typed: from the same specs the parser is built from. */
const VALUE_FLAGS = new Set([...GLOBAL_OPTION_SPECS, ...TOP_LEVEL_SPECS].filter((o) => o.value !== undefined).flatMap((o) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])]));

/**
 * The commands commander must know to parse these words: the named noun's, none when the line
 * names no command at all (`opsdeck`, `opsdeck --profile prod`: the console starts on them, and
 * building every command would cost it 15 ms), and all of them for help or an unknown word (so
 * "did you mean" can suggest).
 */
function commandsFor(words: string[], commands: readonly CommandSpec[]): readonly CommandSpec[] {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--help' || w === '-h') return commands;
    if (w.startsWith('-')) {
      if (VALUE_FLAGS.has(w)) i++;
      continue;
    }
    const noun = commands.filter((c) => c.path[0] === w);
    return noun.length > 0 ? noun : commands;
  }
  return [];
}

/**
 * Commander says "error: unknown option '--x'\n(Did you mean --y?)"; make it one sentence, since
 * the hint that follows is in parentheses of its own.
 */
function cleanCommanderMessage(message: string): string {
  return message
    .replace(/^error:\s*/i, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\s*\(Did you mean (.+?)\?\)/, '; did you mean $1?')
    .trim();
}

function helpTarget(commands: readonly CommandSpec[], words: string[]): string {
  const spec = commands.find((c) => c.path.every((p, i) => words[i] === p));
  if (spec) return ' ' + spec.path.join(' ');
  const group = commands.find((c) => c.path.length > 1 && c.path[0] === words[0]);
  return group ? ` ${words[0]}` : '';
}
