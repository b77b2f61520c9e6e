import type { ConsoleReads } from '../console-reads.js';
import type { ConfigListing } from '../../core/config-center.js';
import type { ServiceListing } from '../../core/registry.js';
import { SCOPE_KINDS, type Scope, type ScopeKind } from '../../core/scope.js';
import type { LockListing } from '../../core/types.js';
import { prepareCompletion } from '../../shell/completion/prepare-completion.js';
import { PromqlCache } from '../../shell/completion/promql-cache.js';
import type { CompletionData, InstanceChoice, InstanceQuery, ScopeQuery } from '../../shell/completion/types.js';
import type { ProfileSet } from '../../session/profile-types.js';

/**
 * Live data for completion, loaded in the background and read synchronously. A keystroke never
 * waits for the network: it sees what is cached, and a stale entry only triggers a reload.
 * Namespaces, groups and datacenters come from the backends (their lists, their defaults, and what the
 * listings hold), never from a default written here. Names come from the listing commands
 * (`services list`, `config list`, `locks list`) and live lists from the ones `__complete` uses.
 */
export class LiveCache implements CompletionData {
  private data = {
    services: [] as string[],
    namespaces: [] as string[],
    groups: [] as string[],
    datacenters: [] as string[],
    configIds: [] as string[],
    locks: [] as string[],
    /** Where each service and config lives, for the names of one scope. */
    serviceRows: [] as Placed[],
    configRows: [] as Placed[],
  };
  /** Names per scope query, kept while the data is the same (completion indexes are keyed by array identity). */
  private inScope = new Map<string, readonly string[]>();
  private kinds: ReadonlySet<ScopeKind> | undefined;
  private readonly instanceMap = new Map<string, { at: number; list: InstanceChoice[] | null }>();
  private loadedAt = 0;
  private loading = false;
  private profileNames: string[] | null = null;
  /** PromQL names and values: fetched only once completion inside a PromQL argument asks. */
  readonly promql = new PromqlCache(async () => this.reads.promql);

  constructor(
    private readonly reads: ConsoleReads,
    private readonly profileSet: ProfileSet,
    private readonly freshMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  services = () => this.touch().services;
  namespaces = () => this.touch().namespaces;
  groups = () => this.touch().groups;
  datacenters = () => this.touch().datacenters;
  configIds = () => this.touch().configIds;
  locks = () => this.touch().locks;
  servicesIn = (q: ScopeQuery) => this.namesIn('s', this.touch().serviceRows, q);
  configIdsIn = (q: ScopeQuery) => this.namesIn('c', this.touch().configRows, q);
  profiles = () => (this.profileNames ??= [...this.profileSet.profiles.keys()]);
  scopeKinds = () => (this.touch(), this.kinds);
  ready = () => (this.touch(), this.loadedAt > 0);

  instances(q: InstanceQuery): readonly InstanceChoice[] | undefined {
    const hit = this.instanceMap.get(keyOf(q));
    if (hit && this.now() - hit.at > this.freshMs) this.want({ kind: 'instances', ...q });
    // null while the first load runs: "loading" must not look like "no instances".
    return hit?.list ?? undefined;
  }

  want(what: { kind: 'instances' } & InstanceQuery): void {
    const { kind: _, ...q } = what;
    const key = keyOf(q);
    const hit = this.instanceMap.get(key);
    if (hit && this.now() - hit.at <= this.freshMs) return;
    // Mark as loading so repeated keystrokes do not fire repeated requests.
    this.instanceMap.set(key, { at: this.now(), list: hit?.list ?? null });
    void this.reads.instanceChoices(q).then(
      (list) => this.instanceMap.set(key, { at: this.now(), list }),
      () => this.instanceMap.delete(key),
    );
  }

  /** Starts a background reload when the data is older than the freshness bound. */
  refresh(): Promise<void> {
    if (this.loading) return Promise.resolve();
    this.loading = true;
    return (async () => {
      const settle = async <T>(p: () => Promise<T>): Promise<T | null> => p().catch(() => null);
      const [services, configs, locks, namespaces, groups, datacenters, kinds] = await Promise.all([
        // The listings answer per backend, as the panes show them: one backend that is down does
        // not empty the names of the others, and all of them down keeps the names last seen.
        settle(() => this.reads.read<ServiceListing>(['services', 'list'])),
        settle(() => this.reads.read<ConfigListing>(['config', 'list'])),
        settle(() => this.reads.read<LockListing>(['locks', 'list'])),
        settle(() => this.reads.scopeValues('namespace')),
        settle(() => this.reads.scopeValues('group')),
        settle(() => this.reads.scopeValues('datacenter')),
        settle(() => this.reads.scopeKinds()),
      ]);
      const next = { ...this.data };
      // An unchanged list keeps its identity: completion indexes are keyed by it, and rebuilding
      // the index of 100k names costs a visible pause.
      const keep = (old: string[], fresh: string[]) => (old.length === fresh.length && old.every((v, i) => v === fresh[i]) ? old : fresh);
      const rows = [...(services?.services ?? []), ...(configs?.configs ?? [])];
      if (services) next.services = keep(next.services, [...new Set(services.services.map((s) => s.name))]);
      if (configs) next.configIds = keep(next.configIds, [...new Set(configs.configs.map((c) => c.dataId))]);
      if (services) next.serviceRows = services.services.map((s) => placed(s, s.name));
      if (configs) next.configRows = configs.configs.map((c) => placed(c, c.dataId));
      if (services || configs) this.inScope = new Map();
      const values = (listed: string[] | null, kind: ScopeKind) => [...new Set([...(listed ?? []), ...rows.flatMap((r) => (r[kind] === undefined ? [] : [r[kind]!]))])];
      next.namespaces = keep(next.namespaces, values(namespaces, 'namespace'));
      next.groups = keep(next.groups, values(groups, 'group'));
      next.datacenters = keep(next.datacenters, values(datacenters, 'datacenter'));
      if (locks) {
        const fresh = locks.locks.map((v) => v.name);
        // While a backend is down its names stay as last seen, so completion does not flicker with it.
        const partial = locks.backends.some((l) => l.error !== null);
        next.locks = keep(next.locks, [...new Set([...(partial ? next.locks : []), ...fresh])]);
      }
      this.data = next;
      if (kinds) this.kinds = kinds;
      this.loadedAt = this.now();
      // Index new lists now, between keystrokes, instead of on the next keystroke that needs them.
      setImmediate(() => prepareCompletion(this));
    })().finally(() => {
      this.loading = false;
    });
  }

  /** The names of the rows in the query's scope (each kind given must match) and backend. */
  private namesIn(kind: string, rows: readonly Placed[], q: ScopeQuery): readonly string[] {
    const key = `${kind}${JSON.stringify([q.backend ?? null, SCOPE_KINDS.map((k) => q.scope[k] ?? null)])}`;
    let hit = this.inScope.get(key);
    if (!hit) {
      const fits = (r: Placed) => (q.backend === undefined || r.backend === q.backend) && SCOPE_KINDS.every((k) => q.scope[k] === undefined || r.scope[k] === q.scope[k]);
      hit = [...new Set(rows.filter(fits).map((r) => r.name))];
      this.inScope.set(key, hit);
    }
    return hit;
  }

  private touch() {
    if (this.now() - this.loadedAt > this.freshMs) void this.refresh();
    return this.data;
  }
}

/** A listed service or config: its name, backend and scope. */
interface Placed {
  name: string;
  backend: string;
  scope: Scope;
}

function placed(row: Scope & { backend: string }, name: string): Placed {
  const scope: Scope = {};
  for (const k of SCOPE_KINDS) if (row[k] !== undefined) scope[k] = row[k];
  return { name, backend: row.backend, scope };
}

function keyOf(q: InstanceQuery): string {
  return JSON.stringify([q.service, q.backend ?? null, Object.entries(q.scope).sort()]);
}
