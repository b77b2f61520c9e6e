import { describeScope } from '../../core/scope.js';
import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { CONFIG_OPTIONS, DATAID_ARG, findConfig } from './target.js';

const SHOW = 'show beta (gray) releases';
const STOP = 'stop beta (gray) releases';

export const configBeta = defineCommand({
  path: ['config', 'beta'],
  summary: "Show a config's beta (gray) release: its content and the client addresses that get it",
  args: DATAID_ARG,
  options: CONFIG_OPTIONS,
  examples: ['opsdeck config beta orders.yaml'],
  mutates: false,
  async run(ctx, { args, opts }) {
    const t = await findConfig(ctx, args.dataId, opts, { need: (c) => requireCapability(c, 'getBeta', SHOW) });
    const beta = await requireCapability(t.backend, 'getBeta', SHOW).getBeta(t.ref);
    return { backend: t.backend.name, ...t.scope, dataId: args.dataId, beta };
  },
});

export const configBetaStop = defineCommand({
  path: ['config', 'beta-stop'],
  summary: 'Stop a beta (gray) release: every client gets the released content again (asks first)',
  args: DATAID_ARG,
  options: CONFIG_OPTIONS,
  examples: ['opsdeck config beta-stop orders.yaml --yes'],
  mutates: true,
  destructive: true,
  async run(ctx, { args, opts }) {
    const t = await findConfig(ctx, args.dataId, opts, { need: (c) => requireCapability(c, 'stopBeta', STOP) });
    const config = requireCapability(t.backend, 'stopBeta', STOP);
    const where = [config.name, describeScope(t.scope)].filter(Boolean).join(', ');
    await ctx.confirm({ message: `Stop the beta release of ${args.dataId} (${where}) on profile ${ctx.session.profile.name}? Its beta clients get the released content again.` });
    await config.stopBeta(t.ref, { signal: ctx.signal });
    return { backend: config.name, ...t.scope, dataId: args.dataId, betaStopped: true };
  },
});
