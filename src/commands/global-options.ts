import type { OutputFormat } from '../render/output.js';

/** Options every command accepts, wherever they appear on the line. */
export interface GlobalOptions {
  profile?: string;
  config?: string;
  dataDir?: string;
  output?: OutputFormat;
  color: boolean;
  yes: boolean;
  debug: boolean;
}

export const GLOBAL_FLAGS = [
  { flags: '--profile <name>', summary: 'profile to use (env OPSDECK_PROFILE)' },
  { flags: '--config <path>', summary: 'profile file (default $XDG_CONFIG_HOME/opsdeck/config.yaml)' },
  { flags: '--data-dir <path>', summary: 'embedded backend data dir (env OPSDECK_DATA_DIR)' },
  { flags: '-o, --output <format>', summary: 'table, json or yaml (default: table on a terminal, json otherwise)' },
  { flags: '--no-color', summary: 'no colour (also NO_COLOR=1)' },
  { flags: '--yes', summary: 'answer yes to confirmations (needed off a terminal)' },
  { flags: '--debug', summary: 'print stack traces' },
] as const;

export function toGlobals(o: Record<string, unknown>): GlobalOptions {
  return {
    profile: o.profile as string | undefined,
    config: o.config as string | undefined,
    dataDir: o.dataDir as string | undefined,
    output: o.output as OutputFormat | undefined,
    color: o.color !== false,
    yes: o.yes === true,
    debug: o.debug === true,
  };
}
