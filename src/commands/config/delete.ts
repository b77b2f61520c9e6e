import { describeScope } from '../../core/scope.js';
import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { CAS_OPTIONS, comparing, ifMatchOf } from './cas.js';
import { CONFIG_OPTIONS, DATAID_ARG, findConfig } from './target.js';

export const configDelete = defineCommand({
  path: ['config', 'delete'],
  summary: 'Delete a config (asks first; only if it is still what was shown; where the backend keeps history, rollback can restore it)',
  args: DATAID_ARG,
  options: { ...CONFIG_OPTIONS, ...CAS_OPTIONS },
  examples: ['opsdeck config delete old-flags.properties --yes'],
  mutates: true,
  destructive: true,
  async run(ctx, { args, opts }) {
    // Read first so the prompt names what is lost, and so the delete is a CAS on what was shown.
    const t = await findConfig(ctx, args.dataId, opts, { need: (c) => requireCapability(c, 'delete', 'delete config') });
    const config = requireCapability(t.backend, 'delete', 'delete config');
    const current = t.found!;
    const where = [config.name, describeScope(t.scope)].filter(Boolean).join(', ');
    await ctx.confirm({ message: `Delete config ${args.dataId} (${where}, version ${current.version ?? '?'}, ${current.content.length} bytes) on profile ${ctx.session.profile.name}?` });
    const token = ifMatchOf(opts, config) ?? current.token;
    await comparing(args.dataId, config.delete(t.ref, { ifMatch: token, signal: ctx.signal }));
    return { backend: config.name, ...t.scope, dataId: args.dataId, deleted: true, version: current.version, token, md5: current.md5 };
  },
});
