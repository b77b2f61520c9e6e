import { OpsError } from '../../core/errors.js';
import type { Adapter } from '../../core/subsystems.js';
import type { AdapterContext } from '../types.js';

// Placeholder while the adapter is being written; replaced in the same change set.
export async function connect(_options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  throw new OpsError('unsupported', `backend ${ctx.name} (etcd) is not available yet`, 'use another backend type');
}
