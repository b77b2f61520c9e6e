import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { md5Opt } from '../option-types.js';
import { CONFIG_OPTIONS, DATAID_ARG, configRef } from './ref.js';

export const configDelete = defineCommand({
  path: ['config', 'delete'],
  summary: 'Delete a config (asks first; its history is kept, so it can be rolled back)',
  args: DATAID_ARG,
  options: { ...CONFIG_OPTIONS, 'if-md5': md5Opt({ summary: 'delete only if the current md5 is this one' }) },
  examples: ['opsdeck config delete old-flags.properties --yes'],
  mutates: true,
  destructive: true,
  async run(ctx, input) {
    const ref = configRef(input);
    const config = requireCapability(await ctx.session.config(), 'delete', 'delete config');
    // Read first so the prompt names what is lost, and so the delete is a CAS on what was shown.
    const current = await config.get(ref);
    await ctx.confirm({ message: `Delete config ${ref.dataId} (group ${ref.group}, version ${current.version}, ${current.content.length} bytes) on profile ${ctx.session.profile.name}?` });
    const result = await config.delete(ref, input.opts['if-md5'] ?? current.md5);
    return { namespace: ref.namespace, group: ref.group, dataId: ref.dataId, deleted: true, ...result };
  },
});
