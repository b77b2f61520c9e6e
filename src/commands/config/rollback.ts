import { usage } from '../../core/errors.js';
import { requireCapability } from '../capability.js';
import { int, str } from '../input.js';
import type { CommandSpec } from '../types.js';
import { CONFIG_OPTIONS, DATAID_ARG, configRef } from './ref.js';

export const configRollback: CommandSpec = {
  path: ['config', 'rollback'],
  summary: "Publish an earlier version's content again as a new version",
  args: [DATAID_ARG],
  options: [
    { name: 'to', value: 'version', summary: 'the version to restore (required)' },
    ...CONFIG_OPTIONS,
    { name: 'if-md5', value: 'md5', summary: 'roll back only if the current md5 is this one' },
  ],
  examples: ['opsdeck config rollback orders.yaml --to 3'],
  mutates: true,
  async run(ctx, input) {
    const version = int(input, 'to', 1);
    if (version === undefined) throw usage('config rollback needs --to VERSION', 'find the version with "opsdeck config history DATAID"');
    const config = requireCapability(await ctx.session.config(), 'rollback', 'roll back config');
    return config.rollback(configRef(input), version, str(input, 'if-md5'));
  },
};
