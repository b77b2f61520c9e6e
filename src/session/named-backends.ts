import type { ConfigBackend } from '../core/config-center.js';
import type { RegistryBackend } from '../core/registry.js';
import type { LockBackend } from '../core/subsystems.js';
import type { LockView } from '../core/types.js';

/**
 * Backends under the names their profile entries give them. The embedded adapter is one per data
 * dir, shared by every subsystem that points at it, so its engines have one fixed name; a
 * `locks: [{type: embedded, name: emb}]` entry must still show `emb` in every `backend` column,
 * as `--backend emb` selects it. Optional actions stay absent when the backend lacks them, since
 * their presence is how commands and panes learn what a backend can do.
 */
export function namedLockBackend(backend: LockBackend, name: string): LockBackend {
  if (backend.name === name) return backend;
  const rename = (v: LockView): LockView => ({ ...v, backend: name });
  const named: LockBackend = {
    name,
    list: async (prefix, opts) => (await backend.list(prefix, opts)).map(rename),
    inspect: async (lock) => {
      const v = await backend.inspect(lock);
      return v && rename(v);
    },
  };
  copy(backend, named, ['tryAcquire', 'release', 'forceRelease', 'forceImpact']);
  return named;
}

export function namedRegistryBackend(backend: RegistryBackend, name: string): RegistryBackend {
  if (backend.name === name) return backend;
  const named: RegistryBackend = {
    name,
    scope: backend.scope,
    ...(backend.readOnly !== undefined ? { readOnly: backend.readOnly } : {}),
    leaseTtl: backend.leaseTtl,
    listServices: async (filter, opts) => (await backend.listServices(filter, opts)).map((s) => ({ ...s, backend: name })),
    getService: renamed(backend, 'getService', name)!,
  };
  for (const m of ['register', 'setTraffic', 'setWeight', 'updateMetadata'] as const) {
    const f = renamed(backend, m, name);
    if (f) named[m] = f as never;
  }
  copy(backend, named, ['listScope', 'deregister', 'deregisterWarning', 'heartbeat', 'changes']);
  return named;
}

export function namedConfigBackend(backend: ConfigBackend, name: string): ConfigBackend {
  if (backend.name === name) return backend;
  const named: ConfigBackend = {
    name,
    scope: backend.scope,
    tokenName: backend.tokenName,
    list: async (filter, opts) => (await backend.list(filter, opts)).map((c) => ({ ...c, backend: name })),
    get: renamed(backend, 'get', name)!,
  };
  const set = renamed(backend, 'set', name);
  if (set) named.set = set;
  if (backend.watch) {
    const watch = backend.watch.bind(backend);
    named.watch = async function* (ref, signal) {
      for await (const e of watch(ref, signal)) yield { ...e, backend: name };
    };
  }
  copy(backend, named, ['delete', 'history', 'versionContent', 'listeners', 'publishBeta', 'getBeta', 'stopBeta', 'changes']);
  return named;
}

/** The backend's method `m` with the `backend` field of its answer set to `name`; undefined when it lacks `m`. */
function renamed<B extends object, K extends keyof B>(backend: B, m: K, name: string): B[K] | undefined {
  const f = backend[m] as unknown as ((...a: unknown[]) => Promise<{ backend: string }>) | undefined;
  if (typeof f !== 'function') return undefined;
  return (async (...a: unknown[]) => ({ ...(await f.apply(backend, a)), backend: name })) as B[K];
}

/** Binds the optional methods the backend has onto `to`; the ones it lacks stay absent. */
function copy<B extends object>(from: B, to: B, methods: ReadonlyArray<keyof B>): void {
  for (const m of methods) {
    const f = from[m];
    if (typeof f === 'function') to[m] = f.bind(from) as B[typeof m];
  }
}
