import { OpsError } from '../core/errors.js';
import { resolveScope, unknownKinds, type Scope, type ScopeKind } from '../core/scope.js';
import type { Session } from '../session/session.js';

/**
 * The live lists completion offers (the console's cache and `opsdeck __complete` both load them
 * here), read from the backends the way the commands read them: instances of the scope the
 * command will address, scope values from the backends' own lists and defaults. A backend that
 * fails only leaves its names out: completion never errors.
 */

/** The instances a command line addresses: `service` in the scope given, the registry's defaults for the rest, on `backend` or every registry that has that scope. */
export async function instanceChoices(session: Session, q: { service: string; scope: Scope; backend?: string }): Promise<Array<{ id: string; address: string }>> {
  const pool = q.backend === undefined ? session.registryBackends() : [{ name: q.backend, open: () => session.registryBackend(q.backend) }];
  const found = await Promise.allSettled(
    pool.map(async (h) => {
      const r = await h.open();
      if (unknownKinds(r.scope, q.scope).length > 0) return [];
      const d = await r.getService({ scope: await resolveScope(r.scope, q.scope), name: q.service });
      return d.instances.map((i) => ({ id: i.id, address: `${i.ip}:${i.port}` }));
    }),
  );
  const all = found.flatMap((f) => (f.status === 'fulfilled' ? f.value : []));
  return [...new Map(all.map((i) => [i.id, i])).values()];
}

/** The values of one scope kind the registries list (Nacos namespaces), and every backend's default for it. */
export async function scopeValues(session: Session, kind: ScopeKind): Promise<string[]> {
  const handles = [...session.registryBackends(), ...session.configBackends()];
  const found = await Promise.allSettled(
    handles.map(async (h) => {
      const b = await h.open();
      if (!b.scope.kinds.includes(kind)) return [];
      // A backend that cannot list this kind still has its default to offer.
      const listed = 'listScope' in b && typeof b.listScope === 'function' ? await b.listScope(kind).then((es) => es.map((e) => e.id), () => []) : [];
      const def = b.scope.defaults[kind];
      return def === undefined ? listed : [def, ...listed];
    }),
  );
  return [...new Set(found.flatMap((f) => (f.status === 'fulfilled' ? f.value : [])))];
}

/** The scope kinds some registry or config backend of the profile has: which scope flags completion offers. Undefined when none could be opened. */
export async function scopeKindsOf(session: Session): Promise<Set<ScopeKind> | undefined> {
  const handles = [...session.registryBackends(), ...session.configBackends()];
  const found = await Promise.allSettled(handles.map(async (h) => (await h.open()).scope.kinds));
  const opened = found.flatMap((f) => (f.status === 'fulfilled' ? [f.value] : []));
  return opened.length === 0 ? undefined : new Set(opened.flat());
}

/**
 * The namespaces the console's `use` may switch to: the values `scopeValues` finds. A profile none
 * of whose registry and config backends has namespaces is a usage error naming the backends.
 */
export async function namespaceChoices(session: Session): Promise<string[]> {
  const kinds = await scopeKindsOf(session);
  if (kinds !== undefined && !kinds.has('namespace')) {
    const names = [...session.registryBackends(), ...session.configBackends()].map((h) => h.name);
    throw new OpsError('usage', `no backend of profile ${session.profile.name} has namespaces (${[...new Set(names)].join(', ')})`, 'panes 1 and 2 already list everything these backends hold');
  }
  return scopeValues(session, 'namespace');
}
