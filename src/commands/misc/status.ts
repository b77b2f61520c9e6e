import { defineCommand } from '../define-command.js';
import type { BackendStatus } from '../../core/types.js';
import { checkBackends } from './check-backends.js';

export const status = defineCommand({
  path: ['status'],
  summary: "Check each backend of the profile: reachable, version, latency (exit 3 if any is down)",
  args: {},
  options: {},
  examples: ['opsdeck status', 'opsdeck status --profile prod -o json'],
  mutates: false,
  run: (ctx) => checkBackends(ctx.session),
  exitCode: (data) => ((data as BackendStatus[]).some((r) => !r.reachable) ? 3 : 0),
});
