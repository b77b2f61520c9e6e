import { readFileSync } from 'node:fs';
import { OpsError } from '../core/errors.js';

const REF = /\$\{([^}]+)\}/g;

/**
 * Replaces `${NAME}` with the environment variable and `${file:PATH}` with the file's content
 * (trailing newline removed) in every string of an adapter's options. Resolution happens only when
 * the adapter connects, so listing or showing profiles never touches a secret.
 */
export function resolveSecrets<T>(value: T, env: NodeJS.ProcessEnv, where: string): T {
  if (typeof value === 'string') {
    return value.replace(REF, (_, ref: string) => {
      if (ref.startsWith('file:')) {
        const path = ref.slice(5);
        try {
          return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
        } catch (e) {
          throw new OpsError('config', `${where}: cannot read secret file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'check the path and its permissions');
        }
      }
      const v = env[ref];
      if (v === undefined) throw new OpsError('config', `${where}: environment variable ${ref} is not set`, `export ${ref} before running opsdeck`);
      return v;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolveSecrets(v, env, where)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveSecrets(v, env, `${where}.${k}`)])) as T;
  }
  return value;
}
