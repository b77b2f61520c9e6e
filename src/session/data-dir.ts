import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { OpsError } from '../core/errors.js';
import { onDataDir } from '../core/data-dir-error.js';

/**
 * Picks the embedded store's directory: --data-dir, then OPSDECK_DATA_DIR, then the profile's
 * `dataDir`, then $XDG_DATA_HOME/opsdeck. A directory the user named must have an existing parent:
 * creating a whole tree from a typo would hide the user's real data.
 */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv, fromProfile: string | undefined): { dir: string; explicit: boolean } {
  const chosen = flag ?? env.OPSDECK_DATA_DIR ?? fromProfile;
  if (chosen !== undefined && chosen !== '') {
    const dir = resolve(chosen);
    const parent = dirname(dir);
    // A symlink loop or an over-long name makes stat throw: that becomes a clear config error too.
    const [parentStat, dirStat] = onDataDir(dir, () => [statSync(parent, { throwIfNoEntry: false }), statSync(dir, { throwIfNoEntry: false })]);
    if (!parentStat?.isDirectory()) {
      throw new OpsError('config', `the data dir's parent ${parent} does not exist`, `create it with "mkdir -p ${parent}", or pass another --data-dir`);
    }
    if (dirStat && !dirStat.isDirectory()) {
      throw new OpsError('config', `the data dir ${dir} is a file, not a directory`, 'pass a directory with --data-dir');
    }
    return { dir, explicit: true };
  }
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return { dir: join(base, 'opsdeck'), explicit: false };
}

export function defaultConfigPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'opsdeck', 'config.yaml');
}
