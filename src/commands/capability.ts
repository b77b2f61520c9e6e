import { OpsError } from '../core/errors.js';

/** Narrows an optional backend method to present, or fails with an "unsupported" error. */
export function requireCapability<T extends object, K extends keyof T>(backend: T, method: K, what: string): T & Required<Pick<T, K>> {
  if (typeof backend[method] !== 'function') {
    throw new OpsError('unsupported', `this backend cannot ${what}`, 'use a profile whose backend supports it');
  }
  return backend as T & Required<Pick<T, K>>;
}
