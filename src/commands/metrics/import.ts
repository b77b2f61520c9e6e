import { arg } from '../arg-types.js';
import { defineCommand } from '../define-command.js';
import { metricsStore } from './store-ops.js';

export const metricsImport = defineCommand({
  path: ['metrics', 'import'],
  summary: 'Load a Prometheus text-format or OpenMetrics dump (with timestamps) into the embedded metrics store',
  args: { file: arg({ summary: 'the dump file' }) },
  options: {},
  examples: ['opsdeck metrics import incident-4711.om', 'opsdeck metrics import dump.txt --data-dir /tmp/incident'],
  mutates: true,
  async run(ctx, { args }) {
    const store = await metricsStore(ctx, 'import');
    const text = await ctx.readFile(args.file);
    return store.importText(text, args.file);
  },
});
