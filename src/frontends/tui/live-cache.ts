import { prepareCompletion } from '../../shell/completion/prepare-completion.js';
import { PromqlCache } from '../../shell/completion/promql-cache.js';
import type { CompletionData } from '../../shell/completion/types.js';
import type { Session } from '../../session/session.js';
import type { ProfileSet } from '../../session/profile-types.js';
import { listEachLockBackend } from '../../commands/locks/list.js';

/**
 * Live data for completion, loaded in the background and read synchronously. A keystroke never
 * waits for the network: it sees what is cached, and a stale entry only triggers a reload.
 */
export class LiveCache implements CompletionData {
  private data = {
    services: [] as string[],
    namespaces: ['public'] as string[],
    groups: ['DEFAULT_GROUP'] as string[],
    configIds: [] as string[],
    locks: [] as string[],
  };
  private readonly instanceMap = new Map<string, { at: number; list: string[] | null }>();
  private loadedAt = 0;
  private loading = false;
  private profileNames: string[] | null = null;
  /** PromQL names and values: fetched only once completion inside a PromQL argument asks. */
  readonly promql = new PromqlCache(() => this.session.metrics());

  constructor(
    private readonly session: Session,
    private readonly profileSet: ProfileSet,
    private readonly freshMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  services = () => this.touch().services;
  namespaces = () => this.touch().namespaces;
  groups = () => this.touch().groups;
  configIds = () => this.touch().configIds;
  locks = () => this.touch().locks;
  profiles = () => (this.profileNames ??= [...this.profileSet.profiles.keys()]);

  instances(service: string): readonly string[] | undefined {
    const hit = this.instanceMap.get(service);
    if (hit && this.now() - hit.at > this.freshMs) this.want({ kind: 'instances', service });
    // null while the first load runs: "loading" must not look like "no instances".
    return hit?.list ?? undefined;
  }

  want(what: { kind: 'instances'; service: string }): void {
    const key = what.service;
    const hit = this.instanceMap.get(key);
    if (hit && this.now() - hit.at <= this.freshMs) return;
    // Mark as loading so repeated keystrokes do not fire repeated requests.
    this.instanceMap.set(key, { at: this.now(), list: hit?.list ?? null });
    void (async () => {
      try {
        const registry = await this.session.registry();
        const all = await registry.listServices({ text: key });
        const list: string[] = [];
        for (const s of all.filter((x) => x.name === key)) {
          const d = await registry.getService({ namespace: s.namespace, group: s.group, service: s.name });
          list.push(...d.instances.map((i) => i.id));
        }
        this.instanceMap.set(key, { at: this.now(), list: [...new Set(list)] });
      } catch {
        this.instanceMap.delete(key);
      }
    })();
  }

  /** Starts a background reload when the data is older than the freshness bound. */
  refresh(): Promise<void> {
    if (this.loading) return Promise.resolve();
    this.loading = true;
    return (async () => {
      const settle = async <T>(p: () => Promise<T>): Promise<T | null> => p().catch(() => null);
      const [services, configs, locks] = await Promise.all([
        settle(async () => (await this.session.registry()).listServices({})),
        settle(async () => (await this.session.config()).list({})),
        // Per backend: one lock backend that is down must not empty the names of the others.
        settle(() => listEachLockBackend(this.session, '')),
      ]);
      const next = { ...this.data };
      // An unchanged list keeps its identity: completion indexes are keyed by it, and rebuilding
      // the index of 100k names costs a visible pause.
      const keep = (old: string[], fresh: string[]) => (old.length === fresh.length && old.every((v, i) => v === fresh[i]) ? old : fresh);
      if (services) {
        next.services = keep(next.services, [...new Set(services.map((s) => s.name))]);
        next.namespaces = keep(next.namespaces, [...new Set(['public', ...services.map((s) => s.namespace)])]);
        next.groups = keep(next.groups, [...new Set(['DEFAULT_GROUP', ...services.map((s) => s.group)])]);
      }
      if (configs) {
        next.configIds = keep(next.configIds, [...new Set(configs.map((c) => c.dataId))]);
        next.groups = keep(next.groups, [...new Set([...next.groups, ...configs.map((c) => c.group)])]);
      }
      if (locks) {
        const fresh = locks.flatMap((l) => l.views.map((v) => v.name));
        // While a backend is down its names stay as last seen, so completion does not flicker with it.
        const partial = locks.some((l) => l.error !== null);
        next.locks = keep(next.locks, [...new Set([...(partial ? next.locks : []), ...fresh])]);
      }
      this.data = next;
      this.loadedAt = this.now();
      // Index new lists now, between keystrokes, instead of on the next keystroke that needs them.
      setImmediate(() => prepareCompletion(this));
    })().finally(() => {
      this.loading = false;
    });
  }

  private touch() {
    if (this.now() - this.loadedAt > this.freshMs) void this.refresh();
    return this.data;
  }
}
