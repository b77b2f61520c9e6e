import { GLOBAL_OPTION_SPECS, readGlobals } from '../../commands/global-options.js';
import type { CommandSpec, Input, OptionSpec, RawValue } from '../../commands/types.js';
import type { Invocation } from './build-program.js';

/**
 * Parses the plain lines that scripts and people type most (`services list --namespace prod -o
 * json`) without commander, which is a fifth of what a one-shot command loads before it runs.
 * It takes only what it can parse exactly as commander would: the command's words first, then
 * operands and the command's or global options (`--name value`, `--name=value`, `-x value`,
 * flags). Anything else (help, a flag before the command, an unknown or misspelt flag, `--`, a
 * missing or dash-led value, a value outside its choices, too few or too many operands) returns
 * null, and build-program.ts parses the line with commander, which also words the error.
 * test/cli/quick-parse.test.ts checks both parsers agree on every example of the table.
 */
export function quickParse(commands: readonly CommandSpec[], words: readonly string[]): Invocation | null {
  const spec = commandOf(commands, words);
  if (spec === null) return null;
  const options = [...spec.options, ...GLOBAL_OPTION_SPECS];
  const raw: Record<string, RawValue> = {};
  const operands: string[] = [];
  for (let i = spec.path.length; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-')) {
      operands.push(w);
      continue;
    }
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const flag = eq > 0 ? w.slice(0, eq) : w;
    const o = flag.startsWith('--') ? options.find((x) => x.name === flag.slice(2)) : flag.length === 2 ? options.find((x) => x.short === flag[1]) : undefined;
    if (o === undefined || o.name === 'help') return null;
    if (o.value === undefined) {
      if (eq > 0) return null;
      raw[o.name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = w.slice(eq + 1);
    else {
      value = words[++i];
      if (value === undefined || value.startsWith('-')) return null;
    }
    if (o.choices && !o.choices.includes(value)) return null;
    raw[o.name] = o.repeatable ? [...((raw[o.name] as string[] | undefined) ?? []), value] : value;
  }
  const args = operandsOf(spec, operands);
  if (args === null) return null;
  const input: Input = { args, opts: pick(spec.options, raw) };
  // Read now, as the commander path does: a bad value is a usage error before anything runs.
  spec.read(input);
  return { spec, input, globals: readGlobals(pick(GLOBAL_OPTION_SPECS, raw)) };
}

/** The command whose words start the line (the longest, so `bench service` wins over `bench`). */
function commandOf(commands: readonly CommandSpec[], words: readonly string[]): CommandSpec | null {
  let best: CommandSpec | null = null;
  for (const c of commands) {
    if (c.path.length <= (best?.path.length ?? 0) || c.path.length > words.length) continue;
    if (c.path.every((p, i) => words[i] === p)) best = c;
  }
  return best;
}

/** The operands by argument name, as commander hands them over; null when their count does not fit. */
function operandsOf(spec: CommandSpec, operands: string[]): Input['args'] | null {
  const args: Input['args'] = {};
  let at = 0;
  for (const a of spec.args) {
    if (a.variadic) {
      if (a.required && at >= operands.length) return null;
      args[a.name] = operands.slice(at);
      at = operands.length;
    } else if (at < operands.length) args[a.name] = operands[at++];
    else if (a.required) return null;
    else args[a.name] = undefined;
  }
  return at === operands.length ? args : null;
}

function pick(specs: readonly OptionSpec[], raw: Record<string, RawValue>): Record<string, RawValue> {
  const out: Record<string, RawValue> = {};
  for (const o of specs) if (raw[o.name] !== undefined) out[o.name] = raw[o.name];
  return out;
}
