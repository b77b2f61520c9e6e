import { ConfigEngine } from './config-engine.js';
import { LockEngine } from './lock-engine.js';
import { RegistryEngine } from './registry-engine.js';
import { KvStore } from './store/kv-store.js';

/** The embedded backend: every subsystem in-process over one durable store in a data dir. */
export class Engine {
  readonly registry: RegistryEngine;
  readonly config: ConfigEngine;
  readonly locks: LockEngine;

  private constructor(readonly store: KvStore, now: () => number) {
    this.registry = new RegistryEngine(store, now);
    this.config = new ConfigEngine(store, now);
    this.locks = new LockEngine(store, now);
  }

  // Read through Date each time (not a captured Date.now), so a test that moves the clock moves the store.
  static open(dataDir: string, now: () => number = () => Date.now()): Engine {
    return new Engine(KvStore.open(dataDir), now);
  }

  close(): void {
    this.store.close();
  }
}
