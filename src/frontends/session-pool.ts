import { OpsError } from '../core/errors.js';
import { ADAPTERS } from '../adapters/index.js';
import { defaultConfigPath, resolveDataDir } from '../session/data-dir.js';
import { embeddedDataDirs, loadProfiles, pathLabel } from '../session/load-profiles.js';
import { resolveSecrets } from '../session/secrets.js';
import type { ProfileSet } from '../session/profile-types.js';
import { Session } from '../session/session.js';
import type { GlobalOptions } from '../commands/global-options.js';

/**
 * Opens sessions on demand and keeps them for the life of the process, so a replay script that
 * switches --profile per line does not reconnect on every line.
 */
export class SessionPool {
  private readonly sessions = new Map<string, Promise<{ session: Session; profiles: ProfileSet }>>();

  constructor(private readonly version: string, private readonly env: NodeJS.ProcessEnv = process.env) {}

  get(g: GlobalOptions): Promise<{ session: Session; profiles: ProfileSet }> {
    const key = JSON.stringify([g.config, g.profile, g.dataDir]);
    let s = this.sessions.get(key);
    if (!s) {
      s = this.open(g);
      s.catch(() => this.sessions.delete(key));
      this.sessions.set(key, s);
    }
    return s;
  }

  async dispose(): Promise<void> {
    const all = await Promise.allSettled(this.sessions.values());
    this.sessions.clear();
    await Promise.all(all.map((s) => (s.status === 'fulfilled' ? s.value.session.dispose() : undefined)));
  }

  private async open(g: GlobalOptions): Promise<{ session: Session; profiles: ProfileSet }> {
    const explicit = g.config !== undefined || (this.env.OPSDECK_CONFIG ?? '') !== '';
    const path = g.config ?? (explicit ? this.env.OPSDECK_CONFIG! : defaultConfigPath(this.env));
    const profiles = await loadProfiles(path, explicit, ADAPTERS);
    const name = g.profile ?? (this.env.OPSDECK_PROFILE || undefined) ?? profiles.defaultProfile;
    const profile = profiles.profiles.get(name);
    if (!profile) {
      throw new OpsError('config', `no profile named ${name}${profiles.file ? ` in ${profiles.file}` : ' (no config file, only "local" exists)'}`, `use one of: ${[...profiles.profiles.keys()].join(', ')}`);
    }
    // The loader made sure a profile's embedded entries agree on one dataDir.
    const set = embeddedDataDirs(profile)[0];
    const key = set === undefined ? '' : pathLabel(set.at);
    const fromProfile = set === undefined ? undefined : { dir: resolveSecrets(set.dataDir, this.env, `profile ${profile.name}: ${key}.dataDir`), key };
    const choice = resolveDataDir(g.dataDir, this.env, fromProfile);
    return { session: new Session(profile, choice.dir, this.version, this.env, choice.from), profiles };
  }
}
