import { Command, CommanderError, Option } from 'commander';
import { parseDuration } from '../../core/duration.js';
import { OpsError } from '../../core/errors.js';
import type { CommandSpec, Input } from '../../commands/types.js';
import { OUTPUT_FORMATS } from '../../render/output.js';
import { GLOBAL_FLAGS, toGlobals, type GlobalOptions } from '../../commands/global-options.js';

export interface Invocation {
  spec: CommandSpec;
  input: Input;
  globals: GlobalOptions;
}

/** What the top level asked for when no table command was named. */
export interface TopLevel {
  globals: GlobalOptions;
  commands: string[];
  files: string[];
  vars: string[];
  continueOnError: boolean;
  echo: boolean;
  /** Console only: animate the demo fleet, record the session, pane refresh interval. */
  demo: boolean;
  record: string | undefined;
  refreshMs: number | undefined;
}

export type Parsed =
  | { kind: 'command'; inv: Invocation }
  | { kind: 'replay'; top: TopLevel }
  | { kind: 'top'; top: TopLevel }
  | { kind: 'printed'; text: string };

const collect = (v: string, prev: string[] = []) => [...prev, v];

function addGlobals(cmd: Command): Command {
  for (const g of GLOBAL_FLAGS) {
    const opt = new Option(g.flags, g.summary);
    if (g.flags.includes('--output')) opt.choices(OUTPUT_FORMATS);
    cmd.addOption(opt);
  }
  return cmd;
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
    program
      .option('-c, --command <line>', 'run a console command line (repeatable)', collect)
      .option('-f, --file <path>', 'run a script file (repeatable)', collect)
      .option('--var <k=v>', 'script variable (repeatable)', collect)
      .option('--continue-on-error', 'scripts: keep going after a failure, exit 4 at the end')
      .option('--echo', 'scripts: print each command to stderr before it runs')
      .option('--demo', 'console: open on a throwaway embedded backend with an animated demo fleet')
      .option('--record <file>', 'console: write every command of the session to a replay script')
      .option('--refresh <duration>', 'console: pane refresh interval (default 2s)')
      .option('-V, --version', 'print the version');
    program.argument('[command...]').action((operands: string[], opts: Record<string, unknown>) => {
      if (opts.version) {
        printed = `opsdeck ${version}\n`;
        parsed = { kind: 'printed', text: printed };
        return;
      }
      if (operands.length > 0) {
        throw new OpsError('usage', `unknown command "${operands.join(' ')}"`, 'run "opsdeck help" to list the commands');
      }
      parsed = { kind: 'top', top: topLevel(opts, []) };
    });
    addGlobals(program.command('replay').description('run script files (or stdin) of console commands').argument('[files...]'))
      .option('--var <k=v>', 'script variable (repeatable)', collect)
      .option('--continue-on-error', 'keep going after a failure, exit 4 at the end')
      .option('--echo', 'print each command to stderr before it runs')
      .action((files: string[], _opts: unknown, cmd: Command) => {
        parsed = { kind: 'replay', top: topLevel(cmd.optsWithGlobals(), files) };
      });
  }
  const groups = new Map<string, Command>();
  // Building commander objects for every command costs start-up time; when the line names a
  // command, only its noun's subtree is needed. Help and "did you mean" still get the full table.
  const first = firstCommandWord(words, commands);
  const wanted = first === undefined ? commands : commands.filter((c) => c.path[0] === first);
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
    const leaf = addGlobals(parent.command(spec.path[spec.path.length - 1]!).description(spec.summary));
    for (const a of spec.args) leaf.argument(a.required ? `<${a.name}${a.variadic ? '...' : ''}>` : `[${a.name}${a.variadic ? '...' : ''}]`, a.summary);
    for (const o of spec.options) {
      const opt = new Option(`${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ` <${o.value}>` : ''}`, o.summary);
      if (o.choices) opt.choices(o.choices);
      if (o.repeatable) opt.argParser(collect);
      leaf.addOption(opt);
    }
    leaf.addHelpText('after', spec.examples.length > 0 ? `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}\n` : '');
    leaf.action((...all: unknown[]) => {
      const cmd = all[all.length - 1] as Command;
      const args: Input['args'] = {};
      spec.args.forEach((a, i) => (args[a.name] = all[i] as string | string[] | undefined));
      const own = cmd.opts();
      const opts: Input['opts'] = {};
      for (const o of spec.options) {
        const v = own[camel(o.name)];
        if (v !== undefined) opts[o.name] = v as string | string[] | boolean;
      }
      parsed = { kind: 'command', inv: { spec, input: { args, opts }, globals: toGlobals(cmd.optsWithGlobals()) } };
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

const VALUE_FLAGS = new Set(['--profile', '--config', '--data-dir', '-o', '--output', '-c', '--command', '-f', '--file', '--var', '--record', '--refresh']);

/** The first word that names a command, skipping global options and their values. */
export function firstCommandWord(words: string[], commands: readonly CommandSpec[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--help' || w === '-h') return undefined;
    if (w.startsWith('-')) {
      if (VALUE_FLAGS.has(w)) i++;
      continue;
    }
    return commands.some((c) => c.path[0] === w) ? w : undefined;
  }
  return undefined;
}

function topLevel(opts: Record<string, unknown>, files: string[]): TopLevel {
  return {
    globals: toGlobals(opts),
    commands: (opts.command as string[] | undefined) ?? [],
    files: [...((opts.file as string[] | undefined) ?? []), ...files],
    vars: (opts.var as string[] | undefined) ?? [],
    continueOnError: opts.continueOnError === true,
    echo: opts.echo === true,
    demo: opts.demo === true,
    record: opts.record as string | undefined,
    refreshMs: opts.refresh === undefined ? undefined : parseDuration(opts.refresh as string, '--refresh'),
  };
}

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Commander says "error: unknown option '--x'\n(Did you mean --y?)"; make it one line. */
function cleanCommanderMessage(message: string): string {
  return message.replace(/^error:\s*/i, '').replace(/\s*\n\s*/g, ' ').trim();
}

function helpTarget(commands: readonly CommandSpec[], words: string[]): string {
  const spec = commands.find((c) => c.path.every((p, i) => words[i] === p));
  if (spec) return ' ' + spec.path.join(' ');
  const group = commands.find((c) => c.path.length > 1 && c.path[0] === words[0]);
  return group ? ` ${words[0]}` : '';
}
