import { didYouMean } from '../../core/did-you-mean.js';
import { notFound, OpsError } from '../../core/errors.js';
import type { ScopeEntry } from '../../core/registry.js';
import type { Scope, ScopeModel } from '../../core/scope.js';
import { withDefaults } from '../../core/scope.js';
import { readNamespaces } from './answers.js';
import type { NacosHttp } from './nacos-http.js';
import { envelopeData, legacyJson } from './replies.js';
import type { ApiLevel } from './server-facts.js';

/** Nacos addresses services and configs by namespace and group; these defaults are Nacos' own. */
export const NACOS_SCOPE: ScopeModel = Object.freeze({ kinds: Object.freeze(['namespace', 'group'] as const), defaults: Object.freeze({ namespace: 'public', group: 'DEFAULT_GROUP' }) });

/** The public namespace's id is "" on 1.x/2.x and "public" on 3.x; people say "public" everywhere. */
export const PUBLIC = 'public';

/** How long a namespace list is reused to resolve names (namespaces change rarely; a console runs for hours). */
const CACHE_MS = 30_000;

/** One namespace and group, as resolved for a request. */
export interface Where {
  /** The namespace id ("public" for the public namespace, whatever the server calls it). */
  namespace: string;
  group: string;
}

/** The `tenant` of a 1.x/2.x config request: "" for the public namespace. */
export function tenantOf(ns: string, level: ApiLevel): string {
  return ns === PUBLIC && level !== 'v3' ? '' : ns;
}

/**
 * The namespaces of one server, and the resolution of what a user typed: the id, or the show
 * name when exactly one namespace has it (people say "dev" for a namespace whose id is a UUID).
 * An unknown namespace is a not-found error naming it; Nacos itself accepts writes into a
 * namespace that does not exist, where nobody would look for them.
 */
export class Namespaces {
  private cached: { at: number; list: Promise<ScopeEntry[]> } | null = null;

  constructor(
    private readonly http: NacosHttp,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Promise<ScopeEntry[]> {
    if (this.cached && this.now() - this.cached.at < CACHE_MS) return this.cached.list;
    const list = this.http.withApi((level) => this.fetch(level));
    const entry = { at: this.now(), list };
    list.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    this.cached = entry;
    return list;
  }

  /** The full scope of one request: the defaults for what was not given, and the namespace resolved. */
  async where(scope: Scope): Promise<Where> {
    const full = withDefaults(NACOS_SCOPE, scope);
    return { namespace: await this.resolve(full.namespace!), group: full.group! };
  }

  /** A namespace id for what the user typed; throws not-found for a namespace the server lacks. */
  async resolve(given: string): Promise<string> {
    if (given === PUBLIC || given === '') return PUBLIC;
    let list: ScopeEntry[];
    try {
      list = await this.list();
    } catch (e) {
      // A user who may not list namespaces can still work in one: take the id as given.
      if (e instanceof OpsError && e.kind === 'unauthorized') return given;
      throw e;
    }
    if (list.some((n) => n.id === given)) return given;
    const byName = list.filter((n) => n.name === given);
    if (byName.length === 1) return byName[0]!.id;
    const near = didYouMean(given, list.flatMap((n) => [n.id, n.name]));
    throw notFound(
      `namespace ${given} does not exist on ${this.http.where}`,
      `${near ? `did you mean ${near}? ` : ''}the namespaces are: ${list.map((n) => (n.id === n.name ? n.id : `${n.id} (${n.name})`)).join(', ')}`,
    );
  }

  private async fetch(level: ApiLevel): Promise<ScopeEntry[]> {
    const path = level === 'v3' ? '/v3/admin/core/namespace/list' : '/v1/console/namespaces';
    const reply = await this.http.send({ path });
    // 1.x/2.x answer {code: 200, data}; 3.x the envelope with code 0.
    const s = this.http.shape(path);
    const data = level === 'v3' ? envelopeData(this.http.client, reply, path, 'list namespaces') : s.object(legacyJson(this.http.client, reply, 'list namespaces')).data;
    return readNamespaces(s, data);
  }
}
