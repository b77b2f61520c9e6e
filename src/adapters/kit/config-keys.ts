import { createHash } from 'node:crypto';
import { typeOfName, type ConfigType } from '../../core/types.js';

/**
 * What key-value config centres (Consul KV, etcd) share: a key's type comes from its extension,
 * the md5 is computed by opsdeck, and a listing's text filter reads the same on both.
 */

/** The type of a key: its extension's (core/types.ts `typeOfName`), else `fallback` (the profile's `defaultType`). */
export function typeOfKey(key: string, fallback: ConfigType): ConfigType {
  return typeOfName(key.slice(key.lastIndexOf('/') + 1)) ?? fallback;
}

export function md5(value: Buffer | null): string {
  return createHash('md5').update(value ?? Buffer.alloc(0)).digest('hex');
}

/** Text filter of a listing: the one every key-value backend shares (text-match.ts). */
export { textMatcher as keyMatcher } from './text-match.js';
