import { defineCommand } from '../define-command.js';

export const version = defineCommand({
  path: ['version'],
  summary: 'Print the opsdeck version',
  args: {},
  options: {},
  examples: ['opsdeck version', 'opsdeck version -o json'],
  mutates: false,
  offline: true,
  async run(ctx) {
    return { version: ctx.version, node: process.version, platform: `${process.platform}-${process.arch}` };
  },
});
