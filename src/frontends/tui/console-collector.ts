import { registryTargets } from '../../commands/metrics/registry-targets.js';
import type { Session } from '../../session/session.js';

/**
 * While the console runs on a profile whose metrics are embedded, it hosts the collector (README
 * "Embedded metrics"). When another process already collects into the data dir, the console only
 * reads: collect refuses, and that refusal is not the user's problem here.
 */
export function startConsoleCollector(session: Session): { stop(): Promise<void> } | null {
  if (session.profile.metrics?.type !== 'embedded') return null;
  const ac = new AbortController();
  const run = (async () => {
    // After the first frames: the store and the evaluator load in the background, not at start-up.
    await new Promise((r) => setTimeout(r, 300));
    if (ac.signal.aborted) return;
    const backend = await session.metrics();
    await backend.store?.collect({ signal: ac.signal, discover: () => registryTargets(session, ac.signal) });
  })().catch(() => undefined);
  return {
    async stop() {
      ac.abort();
      await run;
    },
  };
}
