import type { Scope } from '../../core/scope.js';
import { DUBBO_RESERVED } from './registry-layouts.js';
import { locate, rootsFor, rulesFor, type ZkRegistryContext } from './zk-registry-read.js';
import type { ZkSession } from './zk-client.js';
import { rearmingWatches } from './rearming-watches.js';

/** How often the watches are armed again without an event: watches are lost when a session expires. */
const REARM_MS = 30_000;

/**
 * Push for the console's panes, from ZooKeeper watches (one-shot, so armed again after each
 * event); a yield is no proof of change.
 * - one service: a child watch on its directory (instances come and go), an exists watch on each
 *   instance node (a drain rewrites its data) and on the Dubbo override rules that apply to it;
 * - the listing: child watches on every root and every service directory below it (instances,
 *   not their data: a pane's drained counts follow at its next reload).
 */
export function registryChanges(ctx: ZkRegistryContext, target: { scope: Scope; service?: string }, signal: AbortSignal): AsyncIterable<void> {
  return rearmingWatches(async (watcher) => arm(ctx, await ctx.session(), target, watcher), REARM_MS, signal);
}

async function arm(ctx: ZkRegistryContext, s: ZkSession, target: { scope: Scope; service?: string }, watcher: () => void): Promise<void> {
  if (target.service !== undefined) {
    const read = await locate(ctx, s, { scope: target.scope, name: target.service }).catch(() => null);
    if (!read) {
      // Not there (yet): wake when a root gets a new child.
      for (const root of rootsFor(ctx.o, target.scope)) await s.children(root.prefix, watcher);
      return;
    }
    const dir = read.root.kind === 'dubbo' ? `${read.root.prefix}/${read.child}/providers` : `${read.root.prefix}/${read.child}`;
    await s.children(dir, watcher);
    const rules = new Set(read.instances.flatMap((i) => rulesFor(ctx.o, i).map((t) => t.path)));
    await Promise.all([...read.instances.map((i) => s.exists(i.path, watcher)), ...[...rules].map((p) => s.exists(p, watcher))]);
    return;
  }
  for (const root of rootsFor(ctx.o, target.scope)) {
    const kids = ((await s.children(root.prefix, watcher)) ?? []).filter((c) => root.kind !== 'dubbo' || !DUBBO_RESERVED.has(c));
    await Promise.all(kids.slice(0, ctx.o.maxNodes).map((c) => s.children(root.kind === 'dubbo' ? `${root.prefix}/${c}/providers` : `${root.prefix}/${c}`, watcher)));
  }
}
