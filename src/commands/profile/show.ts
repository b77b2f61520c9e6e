import { defineCommand } from '../define-command.js';
import { optionalArg } from '../arg-types.js';
import { OpsError } from '../../core/errors.js';
import { redactValue } from '../../core/redact.js';

export const profileShow = defineCommand({
  path: ['profile', 'show'],
  summary: 'Show a profile (default: the active one) with secrets redacted',
  args: { name: optionalArg({ summary: 'profile name', complete: 'profile' }) },
  options: {},
  examples: ['opsdeck profile show', 'opsdeck profile show prod -o yaml'],
  mutates: false,
  async run(ctx, { args }) {
    const name = args.name ?? ctx.session.profile.name;
    const p = ctx.profiles.profiles.get(name);
    if (!p) throw new OpsError('config', `no profile named ${name}`, `use one of: ${[...ctx.profiles.profiles.keys()].join(', ')}`);
    const { source, ...body } = p;
    // The effective data dir of the active profile and what chose it (--data-dir, then
    // OPSDECK_DATA_DIR, then the profile's dataDir), so an override is never silent.
    const active = name === ctx.session.profile.name;
    return redactValue({ ...body, source, dataDir: active ? ctx.session.dataDir : undefined, dataDirFrom: active ? ctx.session.dataDirFrom : undefined });
  },
});
