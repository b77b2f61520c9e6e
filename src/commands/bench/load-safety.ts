import { isOpsError, usage } from '../../core/errors.js';
import type { LoadPlan } from '../../loadgen/load-types.js';
import { benchLimits, type Profile } from '../../session/profile-types.js';
import type { Ctx } from '../types.js';

/** Whether `host` matches an allowedHosts entry: exact, `*.domain` for its subdomains, `*` for any. */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return allowed.some((a) => a === '*' || a === h || (a.startsWith('*.') && h.endsWith(a.slice(1))));
}

/**
 * The profile's limits, checked before any load is sent. Too many connections or too high a rate
 * is refused outright, naming the profile key to change. A host outside `bench.allowedHosts`, or
 * any target on a production profile, needs a yes (`--yes`, or the console's dialog); benching is
 * not a mutation, so a read-only profile may bench.
 */
export async function checkLoadSafety(ctx: Pick<Ctx, 'confirm'> & { session: { profile: Profile } }, plan: LoadPlan): Promise<void> {
  const profile = ctx.session.profile;
  const limits = benchLimits(profile);
  const where = `profile ${profile.name}`;
  if (plan.connections > limits.maxConnections) {
    throw usage(`-c ${plan.connections} is more connections than ${where} allows (bench.maxConnections: ${limits.maxConnections})`, `give -c ${limits.maxConnections} or fewer, or raise bench.maxConnections in the profile`);
  }
  if (limits.maxRate !== null) {
    if (plan.rate === undefined) throw usage(`${where} caps bench at ${limits.maxRate} req/s (bench.maxRate), and this run gives no --rate`, `add --rate ${limits.maxRate} or lower`);
    if (plan.rate > limits.maxRate) throw usage(`--rate ${plan.rate} is above what ${where} allows (bench.maxRate: ${limits.maxRate} req/s)`, `give --rate ${limits.maxRate} or lower, or raise bench.maxRate in the profile`);
  }
  const outside = [...new Set(plan.targets.map((t) => new URL(t.url).hostname))].filter((h) => !hostAllowed(h, limits.allowedHosts));
  const reasons = [
    ...(outside.length > 0 ? [`${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not in bench.allowedHosts of ${where} (${limits.allowedHosts.join(', ') || 'none'})`] : []),
    ...(profile.production ? [`${where} is marked production`] : []),
  ];
  if (reasons.length === 0) return;
  const count = plan.targets.length === 1 ? plan.targets[0]!.url : `${plan.targets.length} targets`;
  try {
    await ctx.confirm({ message: `Send load to ${count}? ${reasons.join('; ')}` });
  } catch (e) {
    // Nobody could answer (a script, no terminal): say which limit stopped it, not only "confirm".
    if (!isOpsError(e) || e.kind !== 'usage') throw e;
    throw usage(`refusing to send load: ${reasons.join('; ')}`, outside.length > 0 ? 'add the host to bench.allowedHosts in the profile, or re-run with --yes' : 're-run with --yes if you mean it');
  }
}
