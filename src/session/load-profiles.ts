import { readFileSync } from 'node:fs';
import { OpsError } from '../core/errors.js';
import { loadYaml } from '../lib/yaml.js';
import { BUILTIN_LOCAL, type BackendSpec, type Profile, type ProfileSet } from './profile-types.js';

const SUBSYSTEMS = ['registry', 'config', 'metrics', 'cache', 'tx'] as const;
const PROFILE_KEYS = new Set(['readOnly', 'production', 'registry', 'config', 'locks', 'metrics', 'cache', 'tx', 'description']);

/**
 * Reads the profile file. A missing default file means "no configuration": only the built-in
 * `local` profile exists. A missing file that the user named is an error, since a typo in
 * --config must not silently fall back to the embedded backend.
 */
export async function loadProfiles(path: string, explicit: boolean, knownTypes: string[]): Promise<ProfileSet> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) {
      return { file: null, defaultProfile: 'local', profiles: new Map([['local', BUILTIN_LOCAL]]) };
    }
    throw new OpsError('config', `cannot read config file ${path}: ${code === 'ENOENT' ? 'it does not exist' : (e as Error).message}`, 'check the --config path');
  }
  const { parseDocument, LineCounter, isMap, isSeq } = await loadYaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const where = (range: readonly number[] | null | undefined): string => {
    if (!range) return path;
    const p = lines.linePos(range[0] ?? 0);
    return `${path}:${p.line}:${p.col}`;
  };
  const fail = (range: readonly number[] | null | undefined, msg: string, hint = 'fix the file and run again; README "Profiles" shows the format') =>
    new OpsError('config', `${where(range)}: ${msg}`, hint);
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const p = err.linePos?.[0] ?? lines.linePos(err.pos[0]);
    throw new OpsError('config', `${path}:${p.line}:${p.col}: invalid YAML: ${err.message.split('\n')[0]}`, 'fix the YAML syntax at that position');
  }
  const root = doc.contents;
  if (root === null) return { file: path, defaultProfile: 'local', profiles: new Map([['local', BUILTIN_LOCAL]]) };
  if (!isMap(root)) throw fail((root as { range?: number[] }).range, 'the top level must be a mapping with a "profiles" key');

  const profiles = new Map<string, Profile>([['local', BUILTIN_LOCAL]]);
  const profilesNode = root.get('profiles', true);
  if (profilesNode !== undefined && !isMap(profilesNode)) throw fail((profilesNode as { range?: number[] }).range, '"profiles" must be a mapping of profile names');
  for (const pair of isMap(profilesNode) ? profilesNode.items : []) {
    const keyNode = pair.key as { value?: unknown; range?: number[] };
    const name = String(keyNode.value);
    const body = pair.value as { range?: number[] } | null;
    if (!isMap(body)) throw fail(keyNode.range, `profile ${name} must be a mapping`);
    for (const item of body.items) {
      const k = String((item.key as { value?: unknown }).value);
      if (!PROFILE_KEYS.has(k)) throw fail((item.key as { range?: number[] }).range, `profile ${name}: unknown key "${k}"`, `use one of: ${[...PROFILE_KEYS].join(', ')}`);
    }
    const json = body.toJSON() as Record<string, unknown>;
    const profile: Profile = { name, readOnly: false, production: false, locks: [], source: path };
    for (const flag of ['readOnly', 'production'] as const) {
      if (json[flag] === undefined) continue;
      if (typeof json[flag] !== 'boolean') throw fail((body.get(flag, true) as { range?: number[] }).range, `profile ${name}: ${flag} must be true or false`);
      profile[flag] = json[flag] as boolean;
    }
    for (const sub of SUBSYSTEMS) {
      if (json[sub] === undefined) continue;
      profile[sub] = backend(json[sub], `profile ${name}: ${sub}`, (body.get(sub, true) as { range?: number[] }).range);
    }
    if (json.locks !== undefined) {
      const node = body.get('locks', true) as { range?: number[]; items?: Array<{ range?: number[] }> };
      if (!isSeq(node)) throw fail(node.range, `profile ${name}: locks must be a list of backends`);
      profile.locks = (json.locks as unknown[]).map((l, i) => backend(l, `profile ${name}: locks[${i}]`, node.items?.[i]?.range));
    }
    profiles.set(name, profile);
  }
  const def = root.get('defaultProfile', true) as { value?: unknown; range?: number[] } | undefined;
  const defaultProfile = def === undefined ? 'local' : String(def.value);
  if (!profiles.has(defaultProfile)) throw fail(def?.range, `defaultProfile "${defaultProfile}" is not defined`, `define it under profiles, or use one of: ${[...profiles.keys()].join(', ')}`);
  return { file: path, defaultProfile, profiles };

  function backend(value: unknown, label: string, range: number[] | undefined): BackendSpec {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fail(range, `${label} must be a mapping like {type: embedded}`);
    const spec = value as BackendSpec;
    if (typeof spec.type !== 'string') throw fail(range, `${label} needs a "type"`, `use one of: ${knownTypes.join(', ')}`);
    if (!knownTypes.includes(spec.type)) throw fail(range, `${label}: unknown backend type "${spec.type}"`, `this build supports: ${knownTypes.join(', ')}`);
    return spec;
  }
}
