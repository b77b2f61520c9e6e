import { defineCommand } from '../define-command.js';
import { variadicArg } from '../arg-types.js';
import { usage } from '../../core/errors.js';
import { commandId, type CommandSpec } from '../types.js';

export interface HelpEntry {
  command: string;
  usage: string;
  summary: string;
  args: Array<{ name: string; summary: string; required: boolean }>;
  options: Array<{ flag: string; summary: string; default: string | null }>;
  examples: string[];
  mutates: boolean;
}

export const help = defineCommand({
  path: ['help'],
  summary: 'List commands, or describe one (help locks acquire)',
  args: { command: variadicArg({ summary: 'command words', required: false, complete: 'command' }) },
  options: {},
  examples: ['opsdeck help', 'opsdeck help config set'],
  mutates: false,
  offline: true,
  async run(ctx, { args }) {
    const words = args.command;
    const matches = ctx.commands.filter((c) => words.every((w, i) => c.path[i] === w));
    if (matches.length === 0) throw usage(`no command "${words.join(' ')}"`, 'run "opsdeck help" to list the commands');
    return matches.map(describe);
  },
});

export function usageLine(spec: CommandSpec): string {
  const args = spec.args.map((a) => (a.required ? `<${a.name}>` : `[${a.name}${a.variadic ? '...' : ''}]`));
  return ['opsdeck', ...spec.path, ...args, spec.options.length > 0 ? '[options]' : ''].filter(Boolean).join(' ');
}

function describe(spec: CommandSpec): HelpEntry {
  return {
    command: commandId(spec),
    usage: usageLine(spec),
    summary: spec.summary,
    args: spec.args.map((a) => ({ name: a.name, summary: a.summary, required: a.required })),
    options: spec.options.map((o) => ({ flag: `--${o.name}${o.value ? ` <${o.value}>` : ''}`, summary: o.summary, default: o.default ?? null })),
    examples: [...spec.examples],
    mutates: spec.mutates,
  };
}
