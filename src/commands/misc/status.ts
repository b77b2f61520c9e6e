import { defineCommand } from '../define-command.js';
import type { BackendStatus } from '../../core/types.js';
import { OpsError } from '../../core/errors.js';

export const status = defineCommand({
  path: ['status'],
  summary: "Check each backend of the profile: reachable, version, latency (exit 3 if any is down)",
  args: {},
  options: {},
  examples: ['opsdeck status', 'opsdeck status --profile prod -o json'],
  mutates: false,
  async run(ctx) {
    const rows = await Promise.all(
      ctx.session.backends().map(async ({ subsystem, spec }): Promise<BackendStatus> => {
        const started = performance.now();
        const down = (e: unknown): BackendStatus => {
          const message = e instanceof OpsError ? e.message : String((e as Error).message ?? e);
          return { subsystem, backend: spec.name ?? spec.type, reachable: false, version: null, latencyMs: null, error: message };
        };
        let adapter;
        try {
          adapter = await ctx.session.adapter(subsystem, spec);
        } catch (e) {
          // A wrong profile (an option whose ${...} reference resolved to a bad value, an unset
          // variable) is the user's to fix, exit 2, not a backend that is down.
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
    return rows;
  },
  exitCode: (data) => ((data as BackendStatus[]).some((r) => !r.reachable) ? 3 : 0),
});

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
