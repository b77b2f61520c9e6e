import { defineCommand } from '../define-command.js';
import { versionInfo } from './version-info.js';

export const version = defineCommand({
  path: ['version'],
  summary: 'Print the opsdeck version',
  args: {},
  options: {},
  examples: ['opsdeck version', 'opsdeck version -o json'],
  mutates: false,
  offline: true,
  async run(ctx) {
    return versionInfo(ctx.version);
  },
});
