import { OpsError } from '../core/errors.js';

/**
 * Narrows an optional backend method to present, or refuses: asking a backend for what its type
 * cannot do is a configuration-class error (exit 2), decided before anything is touched.
 */
export function requireCapability<T extends object, K extends keyof T>(backend: T, method: K, what: string): T & Required<Pick<T, K>> {
  if (typeof backend[method] !== 'function') {
    const name = (backend as { name?: unknown }).name;
    throw new OpsError('config', `${typeof name === 'string' ? `backend ${name}` : 'this backend'} cannot ${what}`, 'use a profile (or --backend) whose backend supports it');
  }
  return backend as T & Required<Pick<T, K>>;
}
