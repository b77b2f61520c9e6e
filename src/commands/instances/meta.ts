import { usage } from '../../core/errors.js';
import { defineCommand } from '../define-command.js';
import { keyValueOpt, listOpt } from '../option-types.js';
import { INSTANCE_ARGS, INSTANCE_OPTIONS, findInstance, noted } from './ref.js';

export const instancesMeta = defineCommand({
  path: ['instances', 'meta'],
  summary: "Edit an instance's metadata: set and remove keys; the other keys stay",
  args: INSTANCE_ARGS,
  options: {
    ...INSTANCE_OPTIONS,
    set: keyValueOpt({ value: 'k=v', summary: 'set this key (repeatable)' }),
    remove: listOpt({ value: 'key', summary: 'remove this key (repeatable)' }),
  },
  examples: ['opsdeck instances meta orders 10.0.0.5:8080 --set zone=eu-2 --remove canary'],
  mutates: true,
  async run(ctx, input) {
    const { set, remove } = input.opts;
    if (Object.keys(set).length === 0 && remove.length === 0) throw usage('instances meta needs --set k=v or --remove KEY', 'for example --set zone=eu-2');
    const both = remove.filter((k) => Object.hasOwn(set, k));
    if (both.length > 0) throw usage(`${both.join(', ')} is both set and removed`, 'give each key once');
    const t = await findInstance(ctx, input, 'updateMetadata', 'edit metadata');
    return noted(ctx, await t.registry.updateMetadata(t.ref, t.instance.id, { set, remove }, { signal: ctx.signal }));
  },
});
