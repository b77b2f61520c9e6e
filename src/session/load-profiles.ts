import { readFileSync, statSync } from 'node:fs';
import type { Document, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import { CacheSpecError, readCacheFleet } from '../core/cache-mapping.js';
import { didYouMean } from '../core/did-you-mean.js';
import { OpsError } from '../core/errors.js';
import { OptionError, type OptionSchema } from '../adapters/kit/options.js';
import { loadYaml } from '../lib/yaml.js';
import { backendName, BUILTIN_LOCAL, type BenchLimits, entryPath, oneEntryList, type BackendSpec, type ListSubsystem, type Profile, type ProfileSet } from './profile-types.js';
import { fileErrorReason } from '../lib/file-error-reason.js';

/** The backend types a build knows, each with its option schema (loaded only if a file uses it). */
export type BackendTypes = Readonly<Record<string, { options(): Promise<OptionSchema<unknown>> }>>;

const TOP_KEYS = ['profiles', 'defaultProfile'];
const PROFILE_KEYS = ['description', 'readOnly', 'production', 'registry', 'config', 'locks', 'metrics', 'cache', 'tx', 'bench', 'caches'];
const BENCH_KEYS = ['allowedHosts', 'maxRate', 'maxConnections'];
const SUBSYSTEMS = ['metrics', 'cache', 'tx'] as const;

/**
 * A profile file is a few kilobytes; a huge one is a mistake (a log written over it, a generated
 * file gone wrong). The bound keeps loading within a few seconds and a few hundred MB.
 */
export const MAX_PROFILE_FILE_BYTES = 2 * 1024 * 1024;

/** Aliases may repeat a block (a shared backend) but not blow up into billions of nodes. */
const MAX_ALIAS_COUNT = 10_000;

type Path = Array<string | number>;

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads and checks the profile file: every key at every level (top, profile, backend options
 * through each adapter's option schema), with `file:line:col` for the first problem. A missing
 * default file means "no configuration": only the built-in `local` profile exists. A file the user
 * named (--config, OPSDECK_CONFIG) must exist and define profiles: a typo there must never send
 * commands to the writable built-in profile.
 *
 * Linear in the file's size: the YAML library's own duplicate-key check compares each key with
 * every earlier one of its mapping (quadratic in the number of profiles), so it is off and a set
 * per mapping does the check; the profiles are walked as plain data and a position is looked up
 * in the syntax tree only for the one error reported.
 */
export async function loadProfiles(path: string, explicit: boolean, types: BackendTypes): Promise<ProfileSet> {
  const text = readProfileFile(path, explicit);
  if (text === null) return { file: null, defaultProfile: 'local', profiles: new Map([['local', BUILTIN_LOCAL]]) };
  const yaml = await loadYaml();
  const lines = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, merge: true });
  const position = (offset: number) => {
    const p = lines.linePos(offset);
    return `${path}:${p.line}:${p.col}`;
  };
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const p = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
    throw new OpsError('config', `${path}:${p.line}:${p.col}: invalid YAML: ${err.message.split('\n')[0]}`, 'fix the YAML syntax at that position');
  }
  const duplicate = firstDuplicateKey(doc, yaml);
  if (duplicate !== undefined) throw new OpsError('config', `${position(duplicate)}: invalid YAML: Map keys must be unique`, 'fix the YAML syntax at that position');
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw new OpsError('config', `${path}: ${(e as Error).message}`, 'use fewer nested aliases (*name) in the file');
  }

  /** Throws a config error at the node `at` leads to (a key, or its value). */
  function fail(at: Path, on: 'key' | 'value', message: string, hint = 'fix the file and run again; README "Profiles" shows the format'): never {
    const range = locate(doc, yaml, at, on);
    throw new OpsError('config', `${range === undefined ? path : position(range)}: ${message}`, hint);
  }
  const unknownKeys = (obj: Record<string, unknown>, known: readonly string[], at: Path, what: string, takes: string) => {
    for (const k of Object.keys(obj)) {
      // `x-` keys at the top hold blocks for anchors (`x-redis: &redis {...}`), as in Compose files.
      if (known.includes(k) || (at.length === 0 && k.startsWith('x-'))) continue;
      const near = didYouMean(k, known);
      fail([...at, k], 'key', `${what}unknown key "${k}"`, `${near === undefined ? '' : `did you mean ${near}? `}${takes}: ${known.join(', ')}`);
    }
  };

  const noProfiles = () => {
    if (!explicit) return { file: path, defaultProfile: 'local', profiles: new Map([['local', BUILTIN_LOCAL]]) };
    return fail(['profiles'], 'value', `${path} defines no profiles`, 'add "profiles:" with at least one profile (README "Profiles"), or leave out --config / OPSDECK_CONFIG to use the built-in local profile');
  };
  if (root === null || root === undefined) return noProfiles();
  if (!isMapping(root)) return fail([], 'value', 'the top level must be a mapping with a "profiles" key');
  unknownKeys(root, TOP_KEYS, [], '', 'the top level takes (and x- keys for anchors)');
  const profilesJs = root.profiles;
  if (profilesJs === undefined || profilesJs === null) return noProfiles();
  if (!isMapping(profilesJs)) return fail(['profiles'], 'value', '"profiles" must be a mapping of profile names');
  if (Object.keys(profilesJs).length === 0) return noProfiles();

  /** Backend entries whose options are checked once every schema the file needs is loaded. */
  const entries: Array<{ at: Path; label: string; type: string; options: Record<string, unknown> }> = [];
  const profiles = new Map<string, Profile>([['local', BUILTIN_LOCAL]]);
  for (const [name, body] of Object.entries(profilesJs)) {
    const at: Path = ['profiles', name];
    if (!isMapping(body)) fail(at, 'key', `profile ${name} must be a mapping`);
    unknownKeys(body, PROFILE_KEYS, at, `profile ${name}: `, 'a profile takes');
    const profile: Profile = { name, readOnly: false, production: false, registry: [], config: [], locks: [], source: path };
    if (body.description !== undefined && typeof body.description !== 'string') fail([...at, 'description'], 'value', `profile ${name}: description must be text`);
    for (const flag of ['readOnly', 'production'] as const) {
      if (body[flag] === undefined) continue;
      if (typeof body[flag] !== 'boolean') fail([...at, flag], 'value', `profile ${name}: ${flag} must be true or false`);
      profile[flag] = body[flag];
    }
    // registry and config take one backend or a list (a migration watches two registries);
    // locks has always been a list.
    for (const sub of ['registry', 'config'] as const) {
      const v = body[sub];
      if (v === undefined) continue;
      profile[sub] = Array.isArray(v) ? backendList(v, [...at, sub], `profile ${name}: ${sub}`) : oneEntryList(backend(v, [...at, sub], `profile ${name}: ${sub}`));
      uniqueNames(profile, sub, at);
    }
    for (const sub of SUBSYSTEMS) {
      if (body[sub] !== undefined) profile[sub] = backend(body[sub], [...at, sub], `profile ${name}: ${sub}`);
    }
    if (body.locks !== undefined) {
      if (!Array.isArray(body.locks)) fail([...at, 'locks'], 'value', `profile ${name}: locks must be a list of backends`);
      profile.locks = backendList(body.locks, [...at, 'locks'], `profile ${name}: locks`);
    }
    if (body.bench !== undefined) profile.bench = benchSettings(body.bench, [...at, 'bench'], `profile ${name}: bench`);
    if (body.caches !== undefined) {
      try {
        profile.caches = readCacheFleet(body.caches);
      } catch (e) {
        if (!(e instanceof CacheSpecError)) throw e;
        fail([...at, 'caches', ...e.path], e.on, `profile ${name}: caches${e.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}: ${e.detail}`, e.hint);
      }
    }
    checkOneDataDir(profile, at);
    profiles.set(name, profile);
  }

  const schemas = new Map<string, OptionSchema<unknown>>();
  await Promise.all([...new Set(entries.map((e) => e.type))].map(async (t) => schemas.set(t, await types[t]!.options())));
  for (const e of entries) {
    try {
      schemas.get(e.type)!.read(e.options, { mode: 'load', type: e.type });
    } catch (err) {
      if (!(err instanceof OptionError)) throw err;
      fail([...e.at, ...err.path], err.on, `${e.label}: ${err.detail}`, err.hint);
    }
  }

  const def = root.defaultProfile;
  if (def !== undefined && typeof def !== 'string') fail(['defaultProfile'], 'value', 'defaultProfile must be a profile name');
  const defaultProfile: string = def ?? 'local';
  if (!profiles.has(defaultProfile)) {
    const near = didYouMean(defaultProfile, [...profiles.keys()]);
    fail(['defaultProfile'], 'value', `defaultProfile "${defaultProfile}" is not defined`, `${near === undefined ? '' : `did you mean ${near}? `}define it under profiles, or use one of: ${[...profiles.keys()].join(', ')}`);
  }
  return { file: path, defaultProfile, profiles };

  function backendList(values: unknown[], at: Path, label: string): BackendSpec[] {
    return values.map((v, i) => backend(v, [...at, i], `${label}[${i}]`));
  }

  /** The names of a list's entries label its backend column and are what --backend selects: each must be its own. */
  function uniqueNames(profile: Profile, sub: ListSubsystem, at: Path): void {
    const list = profile[sub];
    list.forEach((spec, i) => {
      const first = list.findIndex((s) => backendName(s) === backendName(spec));
      if (first === i) return;
      const where = [...at, ...entryPath(sub, list, i)];
      fail(spec.name === undefined ? where : [...where, 'name'], 'value', `profile ${profile.name}: ${pathLabel(entryPath(sub, list, i))} is named ${backendName(spec)}, as ${pathLabel(entryPath(sub, list, first))} is`, `give each ${sub} entry its own "name": it is the backend column and what --backend picks`);
    });
  }

  function backend(value: unknown, at: Path, label: string): BackendSpec {
    const known = Object.keys(types);
    if (!isMapping(value)) return fail(at, 'value', `${label} must be a mapping like {type: embedded}`);
    const { type, name, ...options } = value;
    if (type === undefined) return fail(at, 'value', `${label} needs a "type"`, `use one of: ${known.join(', ')}`);
    if (typeof type !== 'string' || !Object.hasOwn(types, type)) {
      const near = typeof type === 'string' ? didYouMean(type, known) : undefined;
      return fail([...at, 'type'], 'value', `${label}: unknown backend type ${JSON.stringify(type)}`, `${near === undefined ? '' : `did you mean ${near}? `}this build supports: ${known.join(', ')}`);
    }
    if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) fail([...at, 'name'], 'value', `${label}: name must be non-empty text`, 'it labels the backend column');
    entries.push({ at, label, type, options });
    return value as BackendSpec;
  }

  /** `bench: {allowedHosts, maxRate, maxConnections}`: each key optional, each checked here. */
  function benchSettings(value: unknown, at: Path, label: string): Partial<BenchLimits> {
    if (!isMapping(value)) return fail(at, 'value', `${label} must be a mapping like {allowedHosts: [localhost], maxRate: 1000, maxConnections: 100}`);
    unknownKeys(value, BENCH_KEYS, at, `${label}: `, 'bench takes');
    const out: Partial<BenchLimits> = {};
    const hosts = value.allowedHosts;
    if (hosts !== undefined) {
      if (!Array.isArray(hosts) || hosts.some((h) => typeof h !== 'string' || h.trim() === '')) fail([...at, 'allowedHosts'], 'value', `${label}: allowedHosts must be a list of host names`, 'for example [localhost, "*.staging.example.com"]');
      out.allowedHosts = (hosts as string[]).map((h) => h.trim().toLowerCase());
    }
    for (const key of ['maxRate', 'maxConnections'] as const) {
      const v = value[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 10_000_000) fail([...at, key], 'value', `${label}: ${key} must be a whole number from 1 to 10000000`, key === 'maxRate' ? 'requests per second that --rate may ask for' : 'connections one run may open');
      out[key] = v;
    }
    return out;
  }

  /** One embedded store per profile: its entries may not name different data dirs. */
  function checkOneDataDir(profile: Profile, at: Path): void {
    const placed = embeddedDataDirs(profile);
    const first = placed[0];
    const other = placed.find((p) => p.dataDir !== first?.dataDir);
    if (first && other) {
      fail([...at, ...other.at, 'dataDir'], 'value', `profile ${profile.name}: ${pathLabel(other.at)} names dataDir ${other.dataDir}, but ${pathLabel(first.at)} names ${first.dataDir}`, 'a profile has one embedded store; give dataDir once, or the same everywhere');
    }
  }
}

/** Where the embedded entries of a profile set `dataDir`, in profile order. */
export function embeddedDataDirs(profile: Profile): Array<{ at: Path; dataDir: string }> {
  const listed = (sub: ListSubsystem) => profile[sub].map((spec, i): [Path, BackendSpec] => [entryPath(sub, profile[sub], i), spec]);
  const specs: Array<[Path, BackendSpec | undefined]> = [
    ...listed('registry'),
    ...listed('config'),
    ...listed('locks'),
    [['metrics'], profile.metrics],
    [['cache'], profile.cache],
    [['tx'], profile.tx],
  ];
  return specs.flatMap(([at, s]) => (s?.type === 'embedded' && typeof s.dataDir === 'string' ? [{ at, dataDir: s.dataDir }] : []));
}

/** `locks[0]`, `registry`. */
export function pathLabel(at: Path): string {
  return at.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The file's text; null when the default file does not exist. */
function readProfileFile(path: string, explicit: boolean): string | null {
  try {
    const size = statSync(path).size;
    if (size > MAX_PROFILE_FILE_BYTES) {
      throw new OpsError('config', `config file ${path} is ${(size / 1048576).toFixed(1)} MiB, more than the ${MAX_PROFILE_FILE_BYTES / 1048576} MiB a profile file may be`, 'check that --config names the profile file; split a generated one per environment');
    }
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof OpsError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return null;
    throw new OpsError('config', `cannot read config file ${path}: ${fileErrorReason(e)}`, 'check the --config path');
  }
}

type Yaml = Awaited<ReturnType<typeof loadYaml>>;

/** The offset of the first key that repeats an earlier key of its mapping, in one pass. */
function firstDuplicateKey(doc: Document, yaml: Yaml): number | undefined {
  let found: number | undefined;
  yaml.visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!yaml.isScalar(pair.key)) continue;
        const id = `${typeof pair.key.value}:${String(pair.key.value)}`;
        if (seen.has(id)) {
          found = pair.key.range?.[0];
          return yaml.visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
  });
  return found;
}

/**
 * The offset of the key or value a path leads to, following aliases to what they name and merge
 * keys (`<<: *base`) into the mappings they merge; where the path leaves the tree (a missing key),
 * the deepest node reached.
 */
function locate(doc: Document, yaml: Yaml, at: Path, on: 'key' | 'value'): number | undefined {
  const deref = (n: unknown): unknown => (yaml.isAlias(n) ? n.resolve(doc) : n);
  let node: unknown = doc.contents;
  let offset = (node as YamlNode | null)?.range?.[0];
  for (let i = 0; i < at.length; i++) {
    node = deref(node);
    const seg = at[i]!;
    if (yaml.isMap(node)) {
      const pair = findPair(node, String(seg), yaml, deref, 0);
      if (!pair) break;
      const keyOffset = (pair.key as YamlNode | null)?.range?.[0];
      if (i === at.length - 1 && on === 'key') return keyOffset ?? offset;
      node = pair.value;
      offset = (node as YamlNode | null)?.range?.[0] ?? keyOffset ?? offset;
    } else if (yaml.isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = node.items[seg];
      offset = (node as YamlNode | null)?.range?.[0] ?? offset;
    } else break;
  }
  return offset;
}

function findPair(map: YAMLMap, key: string, yaml: Yaml, deref: (n: unknown) => unknown, depth: number): Pair | undefined {
  const direct = map.items.find((p) => yaml.isScalar(p.key) && String(p.key.value) === key);
  if (direct || depth > 20) return direct;
  for (const p of map.items) {
    if (!yaml.isScalar(p.key) || p.key.value !== '<<') continue;
    const merged = deref(p.value);
    const sources = yaml.isSeq(merged) ? merged.items.map(deref) : [merged];
    for (const s of sources) {
      const found = yaml.isMap(s) ? findPair(s, key, yaml, deref, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}
