import { optionalArg } from '../../commands/arg-types.js';
import { defineCommand } from '../../commands/define-command.js';
import { flagOpt } from '../../commands/option-types.js';
import { OpsError, isOpsError } from '../../core/errors.js';
import { describeScope, type Scope } from '../../core/scope.js';
import { TokenizeError, tokenize } from '../../shell/tokenize.js';

/**
 * `use NAMESPACE` at the console prompt: the console's namespace. It is a console word, not a
 * table command (a one-shot run has no console to switch), so it is declared here for completion
 * and help, and run by the controller. The namespace is checked against what the backends list
 * (and their defaults), so a typo is refused with the names that exist instead of an empty pane.
 */
export const USE_COMMAND = defineCommand({
  path: ['use'],
  summary: 'Console only: list and act in one namespace (panes 1 and 2, completion, and typed lines that name none)',
  args: { namespace: optionalArg({ summary: 'the namespace to switch to; none shows the one in effect', complete: 'namespace' }) },
  options: { all: flagOpt({ summary: 'every namespace again' }) },
  examples: ['opsdeck use staging', 'opsdeck use --all'],
  mutates: false,
  run: () => Promise.reject(new OpsError('usage', 'use works in the console only', 'on the command line give --namespace to each command')),
});

/** Whether a console line is a `use` line (the controller runs those itself). */
export function isUseLine(line: string): boolean {
  return /^use(\s|$)/.test(line.trim());
}

export interface UseResult {
  /** The console's new scope; absent when nothing changed. */
  scope?: Scope;
  text: string;
  exitCode: number;
}

/**
 * Runs a `use` line. `namespaces` lists what the backends have (ids and defaults); it throws an
 * OpsError when no backend of the profile has namespaces at all.
 */
export async function runUse(line: string, current: Scope, namespaces: () => Promise<string[]>): Promise<UseResult> {
  let words: string[];
  try {
    words = tokenize(line, () => undefined).slice(1);
  } catch (e) {
    if (e instanceof TokenizeError) return { text: `error: ${e.message}`, exitCode: 2 };
    throw e;
  }
  const allFlag = `--${USE_COMMAND.options[0]!.name}`;
  const all = words.includes(allFlag);
  const rest = words.filter((w) => w !== allFlag);
  const unknownFlag = rest.find((w) => w.startsWith('-'));
  if (unknownFlag !== undefined) return { text: `error: use: unknown option ${unknownFlag}\n(hint: use NAMESPACE, or use --all for every namespace)`, exitCode: 2 };
  if (rest.length > 1 || (all && rest.length > 0)) return { text: 'error: use takes one namespace, or --all\n(hint: use NAMESPACE, or use --all for every namespace)', exitCode: 2 };
  if (all) {
    const { namespace: _, ...others } = current;
    return { scope: others, text: 'every namespace: panes 1 and 2 list all of them; typed lines use the backends\' defaults', exitCode: 0 };
  }
  let known: string[];
  try {
    known = await namespaces();
  } catch (e) {
    if (!isOpsError(e)) throw e;
    return { text: `error: ${e.message}${e.hint ? `\n(hint: ${e.hint})` : ''}`, exitCode: e.kind === 'usage' ? 2 : 3 };
  }
  const wanted = rest[0];
  if (wanted === undefined) {
    const now = current.namespace === undefined ? 'every namespace (no use in effect)' : describeScope({ namespace: current.namespace });
    return { text: `${now}\nnamespaces: ${known.length > 0 ? known.join(', ') : '(none listed)'}`, exitCode: 0 };
  }
  // Nothing listed (a backend that cannot list them, or one that is down): trust the name, and say so.
  if (known.length > 0 && !known.includes(wanted)) {
    return { text: `error: namespace ${wanted} not found\n(hint: the namespaces are ${known.join(', ')}; Tab completes them)`, exitCode: 1 };
  }
  const unchecked = known.length === 0 ? ' (not checked: no backend listed its namespaces)' : '';
  return { scope: { ...current, namespace: wanted }, text: `namespace ${wanted}: panes 1 and 2 list it, and typed lines without --namespace run in it; use --all goes back${unchecked}`, exitCode: 0 };
}
