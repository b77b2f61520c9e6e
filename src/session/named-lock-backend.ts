import type { LockBackend } from '../core/subsystems.js';
import type { LockView } from '../core/types.js';

/**
 * The lock backend under the name its profile entry gives it. The embedded adapter is one per
 * data dir, shared by every subsystem that points at it, so its lock engine has one fixed name;
 * a `locks: [{type: embedded, name: emb}]` entry must still show `emb` in every `backend` column,
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
  if (backend.tryAcquire) named.tryAcquire = backend.tryAcquire.bind(backend);
  if (backend.release) named.release = backend.release.bind(backend);
  if (backend.forceRelease) named.forceRelease = backend.forceRelease.bind(backend);
  if (backend.forceImpact) named.forceImpact = backend.forceImpact.bind(backend);
  return named;
}
