import { OpsError } from '../core/errors.js';
import type { CacheBackend } from '../core/cache.js';
import type { MetricsBackend } from '../core/metrics.js';
import type { TxBackend } from '../core/transactions.js';
import type { ConfigBackend } from '../core/config-center.js';
import type { RegistryBackend } from '../core/registry.js';
import type { Adapter, LockBackend } from '../core/subsystems.js';
import { ADAPTERS } from '../adapters/index.js';
import { OptionError, type OptionPath } from '../adapters/kit/options.js';
import { addToProfile, backendName, entryPath, type BackendSpec, type ListSubsystem, type Profile } from './profile-types.js';
import { resolveSecrets } from './secrets.js';
import { namedConfigBackend, namedLockBackend, namedRegistryBackend } from './named-backends.js';

type Subsystem = 'registry' | 'config' | 'locks' | 'metrics' | 'cache' | 'tx';

/** One backend of a list subsystem, not connected until `open` is called. */
export interface BackendHandle<B> {
  /** The entry's name, or its type: the backend column, what --backend selects. */
  name: string;
  type: string;
  open(): Promise<B>;
}

/**
 * One profile's open backends. Adapters connect lazily on first use and are shared when two
 * subsystems point at the same backend spec, so the embedded store is opened once per process.
 */
export class Session {
  private readonly open = new Map<string, Promise<Adapter>>();

  constructor(
    readonly profile: Profile,
    readonly dataDir: string,
    readonly version: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
    /** Where dataDir came from (see data-dir.ts), for `profile show`. */
    readonly dataDirFrom = 'default',
  ) {}

  async metrics(): Promise<MetricsBackend> {
    const a = await this.adapterFor('metrics', this.profile.metrics);
    if (!a.metrics) throw unsupported('metrics', this.profile.metrics!.type);
    return a.metrics;
  }

  async cache(): Promise<CacheBackend> {
    const a = await this.adapterFor('cache', this.profile.cache);
    if (!a.cache) throw unsupported('cache', this.profile.cache!.type);
    return a.cache;
  }

  async tx(): Promise<TxBackend> {
    const a = await this.adapterFor('tx', this.profile.tx);
    if (!a.tx) throw unsupported('tx', this.profile.tx!.type);
    return a.tx;
  }

  /**
   * The profile's registries in profile order, each connected only when it is opened, so a
   * command touches just the backends it asks for and one that is down fails only its own part.
   */
  registryBackends(): Array<BackendHandle<RegistryBackend>> {
    return this.handles('registry', (a) => a.registry, namedRegistryBackend);
  }

  /** One registry, connected on first use: the one named, else the profile's only one. No other is touched. */
  registryBackend(name?: string): Promise<RegistryBackend> {
    return this.pick('registry', this.registryBackends(), name);
  }

  configBackends(): Array<BackendHandle<ConfigBackend>> {
    return this.handles('config', (a) => a.config, namedConfigBackend);
  }

  configBackend(name?: string): Promise<ConfigBackend> {
    return this.pick('config', this.configBackends(), name);
  }

  lockBackends(): Array<BackendHandle<LockBackend>> {
    return this.handles('locks', (a) => a.locks, namedLockBackend);
  }

  /** One lock backend, connected on first use: the one named, else the profile's first. No other is touched. */
  lockBackend(name?: string): Promise<LockBackend> {
    return this.pick('locks', this.lockBackends(), name, true);
  }

  /**
   * The backends of a list subsystem by name. A registry must be named when the profile has
   * several (which one holds a service is the caller's question); locks default to the first.
   */
  private async pick<B>(subsystem: ListSubsystem, all: Array<BackendHandle<B>>, name: string | undefined, firstByDefault = false): Promise<B> {
    if (all.length === 0) throw notConfigured(this.profile, subsystem);
    const noun = subsystem === 'locks' ? 'lock' : subsystem;
    if (name === undefined && all.length > 1 && !firstByDefault) {
      throw new OpsError('usage', `profile ${this.profile.name} has ${all.length} ${noun} backends (${all.map((b) => b.name).join(', ')})`, 'pick one with --backend NAME');
    }
    const found = name === undefined ? all[0] : all.find((b) => b.name === name);
    if (!found) throw new OpsError('usage', `profile ${this.profile.name} has no ${noun} backend named ${name}`, `use one of: ${all.map((b) => b.name).join(', ')}`);
    return found.open();
  }

  private handles<B extends { readonly name: string }>(subsystem: ListSubsystem, part: (a: Adapter) => B | undefined, rename: (b: B, name: string) => B): Array<BackendHandle<B>> {
    return this.profile[subsystem].map((spec) => ({
      name: backendName(spec),
      type: spec.type,
      open: async () => {
        const b = part(await this.adapterFor(subsystem, spec));
        if (!b) throw unsupported(subsystem, spec.type);
        return rename(b, backendName(spec));
      },
    }));
  }

  /** Each configured backend with the subsystem it serves, for `status`. */
  backends(): Array<{ subsystem: Subsystem; spec: BackendSpec }> {
    const out: Array<{ subsystem: Subsystem; spec: BackendSpec }> = [];
    for (const spec of this.profile.registry) out.push({ subsystem: 'registry', spec });
    for (const spec of this.profile.config) out.push({ subsystem: 'config', spec });
    for (const spec of this.profile.locks) out.push({ subsystem: 'locks', spec });
    if (this.profile.metrics) out.push({ subsystem: 'metrics', spec: this.profile.metrics });
    if (this.profile.cache) out.push({ subsystem: 'cache', spec: this.profile.cache });
    if (this.profile.tx) out.push({ subsystem: 'tx', spec: this.profile.tx });
    return out;
  }

  async adapter(subsystem: Subsystem, spec: BackendSpec): Promise<Adapter> {
    return this.adapterFor(subsystem, spec);
  }

  /** Refuses a mutating command on a read-only profile, before any backend is touched. */
  assertWritable(command: string): void {
    if (this.profile.readOnly) {
      throw new OpsError('read-only', `profile ${this.profile.name} is read-only, so "${command}" is refused`, 'use a writable profile with --profile NAME');
    }
  }

  async dispose(): Promise<void> {
    const adapters = await Promise.allSettled(this.open.values());
    this.open.clear();
    await Promise.allSettled(adapters.map((a) => (a.status === 'fulfilled' ? a.value.dispose() : undefined)));
  }

  private adapterFor(subsystem: Subsystem, spec: BackendSpec | undefined): Promise<Adapter> {
    if (!spec) throw notConfigured(this.profile, subsystem);
    const { type, name, ...options } = spec;
    // The embedded backend is one store per data dir, whatever subsystems point at it; its metrics
    // are a store of their own, read with the metrics entry's options (scrape targets, retention).
    const id = type === 'embedded' ? (subsystem === 'metrics' ? 'embedded:metrics' : 'embedded') : JSON.stringify(spec);
    let pending = this.open.get(id);
    if (!pending) {
      const entry = ADAPTERS[type];
      if (!entry) throw new OpsError('config', `profile ${this.profile.name}: unknown backend type "${type}"`, 'see README "Profiles" for the supported types');
      const label = `profile ${this.profile.name}: ${labelOf(this.profile, subsystem, spec)}`;
      pending = (async () => {
        const resolved = resolveSecrets(options, this.env, label);
        const connect = await entry.connect();
        try {
          return await connect(resolved, { dataDir: this.dataDir, version: this.version, name: name ?? type, type, subsystem });
        } catch (e) {
          // The file was checked when it loaded; what fails here came from a ${...} reference.
          if (e instanceof OptionError) throw new OpsError('config', `${label}: ${e.detail}${fromReference(options, e.path)}`, e.hint);
          throw e;
        }
      })();
      // A failed connect must not be cached: the next command should try again.
      pending.catch(() => this.open.delete(id));
      this.open.set(id, pending);
    }
    return pending;
  }
}

/** " (read from ${X})" when the option at path was written as a reference. */
function fromReference(options: Record<string, unknown>, path: OptionPath): string {
  let v: unknown = options;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return typeof v === 'string' && /\$\{[^}]+\}/.test(v) ? ` (read from ${v})` : '';
}

function notConfigured(profile: Profile, subsystem: string): OpsError {
  return new OpsError('config', `profile ${profile.name} has no ${subsystem} backend`, `${addToProfile(profile, `"${subsystem}:"`)}, or pick another with --profile`);
}

/** A profile pointing a subsystem at a backend type that lacks it is a configuration error (exit 2), like any other. */
function unsupported(subsystem: string, type: string): OpsError {
  return new OpsError('config', `backend type ${type} does not provide ${subsystem}`, `point "${subsystem}:" in the profile at a backend type that does, or pick another profile with --profile`);
}

/** `locks[1]`, `registry` (one mapping in the file), `registry[0]` (a list), `metrics`. */
function labelOf(profile: Profile, subsystem: Subsystem, spec: BackendSpec): string {
  if (subsystem !== 'registry' && subsystem !== 'config' && subsystem !== 'locks') return subsystem;
  const list = profile[subsystem];
  return entryPath(subsystem, list, list.indexOf(spec))
    .map((p) => (typeof p === 'number' ? `[${p}]` : p))
    .join('');
}
