import { OpsError } from '../core/errors.js';
import { ADAPTERS } from '../adapters/index.js';
import { defaultConfigPath, resolveDataDir } from '../session/data-dir.js';
import { loadProfiles } from '../session/load-profiles.js';
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
    const embedded = [profile.registry, profile.config, ...profile.locks].find((b) => b?.type === 'embedded');
    const { dir } = resolveDataDir(g.dataDir, this.env, typeof embedded?.dataDir === 'string' ? embedded.dataDir : undefined);
    return { session: new Session(profile, dir, this.version, this.env), profiles };
  }
}
