import { OpsError } from '../core/errors.js';

/**
 * Narrows an optional backend method to present, or refuses: asking a backend for what its type
 * cannot do is a configuration-class error (exit 2), decided before anything is touched.
 */
export function requireCapability<T extends object, K extends keyof T>(backend: T, method: K, what: string): T & Required<Pick<T, K>> {
  if (typeof backend[method] !== 'function') {
    const { name, readOnly } = backend as { name?: unknown; readOnly?: unknown };
    const who = typeof name === 'string' ? `backend ${name}` : 'this backend';
    // A backend that is read-only by design says so and why, so nobody looks for the missing option.
    if (typeof readOnly === 'string') throw new OpsError('config', `${who} is read-only and cannot ${what}: ${readOnly}`, 'change the source it reads instead, or use a profile (or --backend) whose backend takes writes');
    throw new OpsError('config', `${who} cannot ${what}`, 'use a profile (or --backend) whose backend supports it');
  }
  return backend as T & Required<Pick<T, K>>;
}
