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
        try {
          const adapter = await ctx.session.adapter(subsystem, spec);
          const { version } = await adapter.ping();
          return { subsystem, backend: spec.name ?? spec.type, reachable: true, version, latencyMs: round(performance.now() - started), error: null };
        } catch (e) {
          const message = e instanceof OpsError ? e.message : String((e as Error).message ?? e);
          return { subsystem, backend: spec.name ?? spec.type, reachable: false, version: null, latencyMs: null, error: message };
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
