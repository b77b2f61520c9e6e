import { OUTPUT_FORMATS, type OutputFormat } from '../core/output-format.js';
import { optionSpecs, readOptions } from './define-command.js';
import { choiceOpt, durationOpt, flagOpt, listOpt, stringOpt } from './option-types.js';
import type { OptionSpec, RawValue } from './types.js';

/**
 * Options every command accepts, wherever they appear on the line. The parser, completion, help
 * and the scripts' flag scan all read this one table.
 */
export const GLOBAL_OPTIONS = {
  profile: stringOpt({ value: 'name', summary: 'profile to use (env OPSDECK_PROFILE)', complete: 'profile' }),
  config: stringOpt({ value: 'path', summary: 'profile file (default $XDG_CONFIG_HOME/opsdeck/config.yaml)' }),
  'data-dir': stringOpt({ value: 'path', summary: 'embedded backend data dir (env OPSDECK_DATA_DIR)' }),
  output: choiceOpt({ short: 'o', value: 'format', choices: OUTPUT_FORMATS, summary: 'table, json or yaml (default: table on a terminal, json otherwise)' }),
  'no-color': flagOpt({ summary: 'no colour (also NO_COLOR=1)' }),
  yes: flagOpt({ summary: 'answer yes to confirmations (needed off a terminal)' }),
  debug: flagOpt({ summary: 'print stack traces' }),
};

/** The global options as specs, for what walks a list: completion treats them like a command's own options. */
export const GLOBAL_OPTION_SPECS: readonly OptionSpec[] = optionSpecs(GLOBAL_OPTIONS);

/** Options of `opsdeck replay`: how a script runs. */
export const SCRIPT_OPTIONS = {
  var: listOpt({ value: 'k=v', summary: 'script variable (repeatable)' }),
  'continue-on-error': flagOpt({ summary: 'keep going after a failure, exit 4 at the end' }),
  echo: flagOpt({ summary: 'print each command to stderr before it runs' }),
};

/** Options of the top level (no table command named): scripts, the console, the version. */
export const TOP_LEVEL_OPTIONS = {
  command: listOpt({ short: 'c', value: 'line', summary: 'run a console command line (repeatable)' }),
  file: listOpt({ short: 'f', value: 'path', summary: 'run a script file (repeatable)' }),
  var: SCRIPT_OPTIONS.var,
  'continue-on-error': flagOpt({ summary: 'scripts: keep going after a failure, exit 4 at the end' }),
  echo: flagOpt({ summary: 'scripts: print each command to stderr before it runs' }),
  demo: flagOpt({ summary: 'console: open on a throwaway embedded backend with an animated demo fleet' }),
  record: stringOpt({ value: 'file', summary: 'console: write every command of the session to a replay script' }),
  // Faster than 100ms would repaint and poll backends to no one's benefit.
  refresh: durationOpt({ summary: 'console: pane refresh interval', default: '2s', min: '100ms' }),
  version: flagOpt({ short: 'V', summary: 'print the version' }),
};

export interface GlobalOptions {
  profile?: string;
  config?: string;
  dataDir?: string;
  output?: OutputFormat;
  color: boolean;
  yes: boolean;
  debug: boolean;
}

/** The global options from the words collected for them (keyed by long name). */
export function readGlobals(raw: Readonly<Record<string, RawValue>>): GlobalOptions {
  const g = readOptions(GLOBAL_OPTIONS, raw);
  return { profile: g.profile, config: g.config, dataDir: g['data-dir'], output: g.output, color: !g['no-color'], yes: g.yes, debug: g.debug };
}
