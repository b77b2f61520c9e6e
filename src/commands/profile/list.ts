import { defineCommand } from '../define-command.js';

export const profileList = defineCommand({
  path: ['profile', 'list'],
  summary: 'List the profiles of the config file',
  args: {},
  options: {},
  examples: ['opsdeck profile list'],
  mutates: false,
  async run(ctx) {
    return [...ctx.profiles.profiles.values()].map((p) => ({
      name: p.name,
      active: p.name === ctx.session.profile.name,
      default: p.name === ctx.profiles.defaultProfile,
      readOnly: p.readOnly,
      production: p.production,
      registry: p.registry.map((r) => r.type),
      config: p.config.map((c) => c.type),
      locks: p.locks.map((l) => l.type),
      metrics: p.metrics?.type ?? null,
      source: p.source,
    }));
  },
});
