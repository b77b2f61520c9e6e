import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { OpsError } from '../core/errors.js';
import { onDataDir } from '../core/data-dir-error.js';

/** The embedded store's directory and where the choice came from, for `profile show`. */
export interface DataDirChoice {
  dir: string;
  /** Whether the user named it (then its parent must exist) rather than the XDG default. */
  explicit: boolean;
  /** `--data-dir`, `OPSDECK_DATA_DIR`, `profile (registry.dataDir)` or `default`. */
  from: string;
}

/**
 * Picks the embedded store's directory: --data-dir, then OPSDECK_DATA_DIR, then the profile's
 * `dataDir`, then $XDG_DATA_HOME/opsdeck — the usual order of a command line over its environment
 * over its configuration file, so a script can point any profile elsewhere. `profile show` prints
 * the choice and where it came from, so an environment variable never overrides silently.
 * A directory the user named must have an existing parent: creating a whole tree from a typo would
 * hide the user's real data.
 */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv, fromProfile: { dir: string; key: string } | undefined): DataDirChoice {
  const candidates: Array<[string | undefined, string]> = [
    [flag, '--data-dir'],
    [env.OPSDECK_DATA_DIR, 'OPSDECK_DATA_DIR'],
    [fromProfile?.dir, `profile (${fromProfile?.key}.dataDir)`],
  ];
  const named = candidates.find(([v]) => v !== undefined && v !== '');
  if (named) {
    const [chosen, from] = named as [string, string];
    const dir = resolve(chosen);
    const parent = dirname(dir);
    // A symlink loop or an over-long name makes stat throw: that becomes a clear config error too.
    const [parentStat, dirStat] = onDataDir(dir, () => [statSync(parent, { throwIfNoEntry: false }), statSync(dir, { throwIfNoEntry: false })]);
    if (!parentStat?.isDirectory()) {
      throw new OpsError('config', `the data dir's parent ${parent} does not exist (data dir from ${from})`, `create it with "mkdir -p ${parent}", or pass another --data-dir`);
    }
    if (dirStat && !dirStat.isDirectory()) {
      throw new OpsError('config', `the data dir ${dir} is a file, not a directory (data dir from ${from})`, 'pass a directory with --data-dir');
    }
    return { dir, explicit: true, from };
  }
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return { dir: join(base, 'opsdeck'), explicit: false, from: 'default' };
}

export function defaultConfigPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'opsdeck', 'config.yaml');
}
