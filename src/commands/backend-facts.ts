import type { ScopeModel } from '../core/scope.js';
import type { BackendHandle, Session } from '../session/session.js';

/** What a front end needs to know about one backend to address its rows and offer its keys. */
export interface BackendFacts {
  /** Its scope kinds and defaults: a command line names a scope value only where it differs from the default. */
  scope: ScopeModel;
  /** The optional methods among those asked about that it has, plus READ_ONLY_CAP when it takes no writes by design. */
  caps: string[];
}

/** The mark `backendFacts` adds for a backend that is read-only by design (`RegistryBackend.readOnly`). */
export const READ_ONLY_CAP = 'read-only';

/**
 * The facts of the named registries or config backends that open (one that does not is left out:
 * it failed its part of the listing already, and opening it again would wait again). The console
 * reads them beside `services list`/`config list`, whose rows carry the backend's name.
 */
export async function backendFacts(session: Session, subsystem: 'registry' | 'config', names: readonly string[], methods: readonly string[]): Promise<Map<string, BackendFacts>> {
  const handles: Array<BackendHandle<{ scope: ScopeModel }>> = subsystem === 'registry' ? session.registryBackends() : session.configBackends();
  const settled = await Promise.allSettled(
    handles
      .filter((h) => names.includes(h.name))
      .map(async (h) => {
        const b = (await h.open()) as { scope: ScopeModel } & Record<string, unknown>;
        const has = methods.filter((m) => typeof b[m] === 'function');
        return [h.name, { scope: b.scope, caps: typeof b.readOnly === 'string' ? [...has, READ_ONLY_CAP] : has }] as const;
      }),
  );
  return new Map(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])));
}
