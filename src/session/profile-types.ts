import type { CacheFleetSpec } from '../core/cache-mapping.js';

/** What `bench` may do from a profile: where it may send load, and how much. */
export interface BenchLimits {
  /** Host names or addresses, `*.example.com` for a domain's hosts, `*` for any. */
  allowedHosts: string[];
  /** Requests/s that `--rate` may ask for; null: no cap, and a run need not give `--rate`. */
  maxRate: number | null;
  /** Connections a run may open in all. */
  maxConnections: number;
}

/**
 * Loopback only: load sent anywhere else is a decision someone writes into the profile (or makes
 * with --yes on one run). No rate cap by default, so an unpaced run (wrk's way) works out of the box.
 */
export const BENCH_DEFAULTS: Readonly<BenchLimits> = Object.freeze({ allowedHosts: ['localhost', '127.0.0.1', '::1'], maxRate: null, maxConnections: 1000 });

/** The profile's bench limits with the defaults filled in. */
export function benchLimits(profile: Pick<Profile, 'bench'>): BenchLimits {
  return { ...BENCH_DEFAULTS, ...profile.bench };
}

/** A backend entry of a profile: `{type, url, ...}` with the rest passed to the adapter. */
export interface BackendSpec {
  type: string;
  name?: string;
  [option: string]: unknown;
}

export interface Profile {
  name: string;
  readOnly: boolean;
  production: boolean;
  /** Registries in profile order; the file may write one mapping or a list. Empty: none. */
  registry: BackendSpec[];
  config: BackendSpec[];
  locks: BackendSpec[];
  metrics?: BackendSpec;
  cache?: BackendSpec;
  /** Distributed transactions (Seata). */
  tx?: BackendSpec;
  /** Limits of `bench` (load generation); absent keys take `BENCH_DEFAULTS`. */
  bench?: Partial<BenchLimits>;
  /** How the fleet cache view reads the metrics backend's cache series (`caches:`); absent: the defaults. */
  caches?: CacheFleetSpec;
  /** Where the profile came from, for messages: a file path or "built-in". */
  source: string;
}

export interface ProfileSet {
  /** The file read, or null when none exists and only the built-in profile is available. */
  file: string | null;
  defaultProfile: string;
  profiles: Map<string, Profile>;
}

export const BUILTIN_LOCAL: Profile = {
  name: 'local',
  readOnly: false,
  production: false,
  registry: [{ type: 'embedded' }],
  config: [{ type: 'embedded' }],
  locks: [{ type: 'embedded' }],
  source: 'built-in',
};

/**
 * The next step for a profile that lacks `what` (`"metrics:"`, say): add it to the profile's file,
 * or, for the built-in profile, which has no file, write one.
 */
export function addToProfile(profile: Pick<Profile, 'source'>, what: string): string {
  return profile.source === 'built-in'
    ? `write a profile with ${what} in $XDG_CONFIG_HOME/opsdeck/config.yaml (README "Profiles") or a file given with --config`
    : `add ${what} to the profile in ${profile.source}`;
}

/** The subsystems whose entries are lists (a profile can watch several registries, say). */
export type ListSubsystem = 'registry' | 'config' | 'locks';

/** Lists the file wrote as one mapping (`registry: {type: embedded}`), so messages name the key as written. */
const writtenAsMapping = new WeakSet<readonly BackendSpec[]>();

export function oneEntryList(spec: BackendSpec): BackendSpec[] {
  const list = [spec];
  writtenAsMapping.add(list);
  return list;
}

/** The path of an entry as the file wrote it: `registry` for a mapping, `registry[1]` in a list. */
export function entryPath(subsystem: ListSubsystem, list: readonly BackendSpec[], index: number): Array<string | number> {
  return writtenAsMapping.has(list) ? [subsystem] : [subsystem, index];
}

/** How an entry is named in `backend` columns and by `--backend`: its `name`, else its type. */
export function backendName(spec: BackendSpec): string {
  return spec.name ?? spec.type;
}
