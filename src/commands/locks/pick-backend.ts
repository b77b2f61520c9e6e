import { usage } from '../../core/errors.js';
import type { LockBackend } from '../../core/subsystems.js';
import { str } from '../input.js';
import type { Ctx, Input, OptionSpec } from '../types.js';

export const BACKEND_OPTION: OptionSpec = { name: 'backend', value: 'name', summary: 'which lock backend of the profile (default: the first)' };

/** The lock backend a command acts on: --backend by name, else the profile's first. */
export async function pickLockBackend(ctx: Ctx, input: Input): Promise<LockBackend> {
  const all = await ctx.session.locks();
  const wanted = str(input, 'backend');
  if (wanted === undefined) return all[0]!;
  const found = all.find((b) => b.name === wanted);
  if (!found) throw usage(`profile ${ctx.session.profile.name} has no lock backend named ${wanted}`, `use one of: ${all.map((b) => b.name).join(', ')}`);
  return found;
}
