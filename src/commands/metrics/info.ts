import { list, req, str } from '../input.js';
import type { CommandSpec } from '../types.js';
import { unwrap } from './answer.js';

/** The read-only Prometheus API endpoints, each one command returning the server's data. */
export const metricsTargets: CommandSpec = {
  path: ['metrics', 'targets'],
  summary: 'Scrape targets with health, last scrape and last error',
  args: [],
  options: [],
  examples: ['opsdeck metrics targets', 'opsdeck metrics targets -o json'],
  mutates: false,
  run: async (ctx) => unwrap(ctx, await (await ctx.session.metrics()).targets()),
};

export const metricsAlerts: CommandSpec = {
  path: ['metrics', 'alerts'],
  summary: 'Active alerts with state, since when, and value',
  args: [],
  options: [],
  examples: ['opsdeck metrics alerts'],
  mutates: false,
  run: async (ctx) => unwrap(ctx, await (await ctx.session.metrics()).alerts()),
};

export const metricsRules: CommandSpec = {
  path: ['metrics', 'rules'],
  summary: 'Alerting and recording rules by group, with health and last evaluation',
  args: [],
  options: [],
  examples: ['opsdeck metrics rules -o yaml'],
  mutates: false,
  run: async (ctx) => unwrap(ctx, await (await ctx.session.metrics()).rules()),
};

export const metricsLabels: CommandSpec = {
  path: ['metrics', 'labels'],
  summary: 'Label names, or the values of one label',
  args: [{ name: 'name', summary: 'label name (for its values)', required: false }],
  options: [],
  examples: ['opsdeck metrics labels', 'opsdeck metrics labels job'],
  mutates: false,
  run: async (ctx, input) => unwrap(ctx, await (await ctx.session.metrics()).labels(str(input, 'name'))),
};

export const metricsSeries: CommandSpec = {
  path: ['metrics', 'series'],
  summary: 'Series matching one or more selectors',
  args: [{ name: 'match', summary: 'series selector, e.g. up{job="api"}', required: true, variadic: true }],
  options: [],
  examples: ['opsdeck metrics series \'up{job="api"}\''],
  mutates: false,
  run: async (ctx, input) => {
    req(input, 'match');
    return unwrap(ctx, await (await ctx.session.metrics()).series(list(input, 'match')));
  },
};

export const metricsMetadata: CommandSpec = {
  path: ['metrics', 'metadata'],
  summary: 'Type, help and unit of metrics (all, or one)',
  args: [{ name: 'metric', summary: 'metric name', required: false }],
  options: [],
  examples: ['opsdeck metrics metadata', 'opsdeck metrics metadata http_requests_total'],
  mutates: false,
  run: async (ctx, input) => unwrap(ctx, await (await ctx.session.metrics()).metadata(str(input, 'metric'))),
};
