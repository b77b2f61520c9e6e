import { OpsError } from '../../core/errors.js';
import type { BackendStatus } from '../../core/types.js';
import type { Session } from '../../session/session.js';

/**
 * Pings each configured backend of the session: reachable, version, latency. `status` answers
 * with it, and the console's health model is fed by it between pane loads. A profile error (an
 * option whose `${...}` reference resolved to a bad value) throws: it is the user's to fix, exit 2,
 * not a backend that is down.
 */
export async function checkBackends(session: Session): Promise<BackendStatus[]> {
  return Promise.all(
    session.backends().map(async ({ subsystem, spec }): Promise<BackendStatus> => {
      const started = performance.now();
      const down = (e: unknown): BackendStatus => {
        const message = e instanceof OpsError ? e.message : String((e as Error).message ?? e);
        return { subsystem, backend: spec.name ?? spec.type, reachable: false, version: null, latencyMs: null, error: message };
      };
      let adapter;
      try {
        adapter = await session.adapter(subsystem, spec);
      } catch (e) {
        if (e instanceof OpsError && (e.kind === 'config' || e.kind === 'usage')) throw e;
        return down(e);
      }
      try {
        const { version } = await adapter.ping();
        return { subsystem, backend: spec.name ?? spec.type, reachable: true, version, latencyMs: round(performance.now() - started), error: null };
      } catch (e) {
        return down(e);
      }
    }),
  );
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
