import { timeOpt } from '../option-types.js';
import { optionalArg, variadicArg } from '../arg-types.js';
import { defineCommand } from '../define-command.js';
import { unwrap } from './answer.js';

/** The read-only Prometheus API endpoints, each one command returning the server's data. */
export const metricsTargets = defineCommand({
  path: ['metrics', 'targets'],
  summary: 'Scrape targets with health, last scrape and last error',
  args: {},
  options: {},
  examples: ['opsdeck metrics targets', 'opsdeck metrics targets -o json'],
  mutates: false,
  run: async (ctx) => unwrap(ctx, await (await ctx.session.metrics()).targets(ctx.signal)),
});

export const metricsAlerts = defineCommand({
  path: ['metrics', 'alerts'],
  summary: 'Active alerts with state, since when, and value',
  args: {},
  options: {},
  examples: ['opsdeck metrics alerts'],
  mutates: false,
  run: async (ctx) => unwrap(ctx, await (await ctx.session.metrics()).alerts(ctx.signal)),
});

export const metricsRules = defineCommand({
  path: ['metrics', 'rules'],
  summary: 'Alerting and recording rules by group, with health and last evaluation',
  args: {},
  options: {},
  examples: ['opsdeck metrics rules -o yaml'],
  mutates: false,
  run: async (ctx) => unwrap(ctx, await (await ctx.session.metrics()).rules(ctx.signal)),
});

export const metricsLabels = defineCommand({
  path: ['metrics', 'labels'],
  summary: 'Label names, or the values of one label',
  args: { name: optionalArg({ summary: 'label name (for its values)' }) },
  options: {},
  examples: ['opsdeck metrics labels', 'opsdeck metrics labels job'],
  mutates: false,
  run: async (ctx, { args }) => unwrap(ctx, await (await ctx.session.metrics()).labels(args.name, ctx.signal)),
});

export const metricsSeries = defineCommand({
  path: ['metrics', 'series'],
  summary: 'Series matching one or more selectors',
  args: { match: variadicArg({ summary: 'series selector, e.g. up{job="api"}', required: true }) },
  options: {
    // Completion asks for the series of the last hour or so: a whole retention can be very large.
    start: timeOpt({ summary: 'only series with samples after this (default: the server\'s)' }),
    end: timeOpt({ summary: 'only series with samples before this (default: the server\'s)' }),
  },
  examples: ['opsdeck metrics series \'up{job="api"}\'', 'opsdeck metrics series \'{__name__="up"}\' --start now-1h'],
  mutates: false,
  run: async (ctx, { args, opts }) => unwrap(ctx, await (await ctx.session.metrics()).series(args.match, opts.start?.(ctx.now()), opts.end?.(ctx.now()), ctx.signal)),
});

export const metricsMetadata = defineCommand({
  path: ['metrics', 'metadata'],
  summary: 'Type, help and unit of metrics (all, or one)',
  args: { metric: optionalArg({ summary: 'metric name' }) },
  options: {},
  examples: ['opsdeck metrics metadata', 'opsdeck metrics metadata http_requests_total'],
  mutates: false,
  run: async (ctx, { args }) => unwrap(ctx, await (await ctx.session.metrics()).metadata(args.metric, ctx.signal)),
});
