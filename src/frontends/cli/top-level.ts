import { optionSpecs, readOptions } from '../../commands/define-command.js';
import { GLOBAL_OPTION_SPECS, TOP_LEVEL_OPTIONS, readGlobals, type GlobalOptions } from '../../commands/global-options.js';
import type { OptionSpec, RawValue } from '../../commands/types.js';

// The top level's options apart from the commander program (build-program.ts): `opsdeck` alone
// starts the console with them, and must not wait for commander to load.

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
  refreshMs: number;
}

export const TOP_LEVEL_SPECS = optionSpecs(TOP_LEVEL_OPTIONS);

/**
 * What commander collected for each spec, keyed by long name. Commander keys values by camelCase
 * attribute, and a "--no-x" flag sets x to false; the specs only know "was it given".
 */
export function collected(specs: readonly OptionSpec[], values: Record<string, unknown>): Record<string, RawValue> {
  const out: Record<string, RawValue> = {};
  for (const o of specs) {
    if (o.name.startsWith('no-')) out[o.name] = values[camel(o.name.slice(3))] === false ? true : undefined;
    else out[o.name] = values[camel(o.name)] as RawValue;
  }
  return out;
}

/** The top level's typed options from what was collected (commander's attribute names), with `files` given as operands. */
export function topLevel(values: Record<string, unknown>, files: string[]): TopLevel {
  const top = readOptions(TOP_LEVEL_OPTIONS, collected(TOP_LEVEL_SPECS, values));
  return {
    globals: readGlobals(collected(GLOBAL_OPTION_SPECS, values)),
    commands: top.command,
    files: [...top.file, ...files],
    vars: top.var,
    continueOnError: top['continue-on-error'],
    echo: top.echo,
    demo: top.demo,
    record: top.record,
    refreshMs: top.refresh,
  };
}

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
