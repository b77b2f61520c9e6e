import { defineCommand } from '../define-command.js';
import { metricsStore } from './store-ops.js';

export const metricsTsdb = defineCommand({
  path: ['metrics', 'tsdb'],
  summary: 'The embedded metrics store: series, samples, bytes in memory and on disk, bytes per sample, whether a process collects',
  args: {},
  options: {},
  examples: ['opsdeck metrics tsdb', 'opsdeck metrics tsdb -o json'],
  mutates: false,
  run: async (ctx) => (await metricsStore(ctx, 'report its storage')).stats(),
});

export const metricsToken = defineCommand({
  path: ['metrics', 'token'],
  summary: 'Print the bearer token of the embedded metrics HTTP API (OPSDECK_METRICS_TOKEN, else the data dir\'s)',
  args: {},
  options: {},
  examples: ['opsdeck metrics token', 'opsdeck metrics token -o json'],
  mutates: false,
  run: async (ctx) => ({ token: await (await metricsStore(ctx, 'serve an HTTP API')).apiToken() }),
});
