import { usage } from '../../core/errors.js';
import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { intOpt, md5Opt } from '../option-types.js';
import { CONFIG_OPTIONS, DATAID_ARG, configRef } from './ref.js';

export const configRollback = defineCommand({
  path: ['config', 'rollback'],
  summary: "Publish an earlier version's content again as a new version",
  args: DATAID_ARG,
  options: {
    to: intOpt({ value: 'version', summary: 'the version to restore (required)', min: 1 }),
    ...CONFIG_OPTIONS,
    'if-md5': md5Opt({ summary: 'roll back only if the current md5 is this one' }),
  },
  examples: ['opsdeck config rollback orders.yaml --to 3'],
  mutates: true,
  async run(ctx, input) {
    const version = input.opts.to;
    if (version === undefined) throw usage('config rollback needs --to VERSION', 'find the version with "opsdeck config history DATAID"');
    const config = requireCapability(await ctx.session.config(), 'rollback', 'roll back config');
    return config.rollback(configRef(input), version, input.opts['if-md5']);
  },
});
