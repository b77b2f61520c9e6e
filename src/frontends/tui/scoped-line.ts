import type { CommandSpec } from '../../commands/types.js';
import { SCOPE_KINDS, type Scope } from '../../core/scope.js';
import { commandLine } from '../../shell/quote-word.js';

/** What `scopedLine` needs to know of a parsed line. */
export interface ParsedLine {
  spec: CommandSpec;
  opts: Readonly<Record<string, unknown>>;
  /** `--profile` on the line, if any. */
  profile: string | undefined;
  words: readonly string[];
}

/**
 * A typed console line with the console's scope (`use NAMESPACE`) made explicit: for each scope
 * kind in effect that the command has an option for and the line does not give, the flag is
 * appended. The line then runs, logs and records as what it means, so a recording replays in the
 * same namespace without the console. A line aimed at another profile, or with `--` (after which
 * a flag would be read as an argument), is left as typed. `parse` returns null when the line does
 * not parse: it runs as typed and reports its own error.
 */
export function scopedLine(line: string, scope: Scope, consoleProfile: string, parse: (line: string) => ParsedLine | null): string {
  if (!SCOPE_KINDS.some((k) => scope[k] !== undefined)) return line;
  const p = parse(line);
  if (p === null || (p.profile !== undefined && p.profile !== consoleProfile) || p.words.includes('--')) return line;
  const extra: string[] = [];
  for (const k of SCOPE_KINDS) {
    const v = scope[k];
    const option = p.spec.options.find((o) => o.scope === k);
    if (v === undefined || option === undefined || p.opts[option.name] !== undefined) continue;
    extra.push(`--${option.name}`, v);
  }
  return extra.length === 0 ? line : `${line} ${commandLine(extra)}`;
}
