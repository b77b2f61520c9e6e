import { usage } from '../../core/errors.js';
import { CONFIG_TYPES, type ConfigType } from '../../core/types.js';
import { requireCapability } from '../capability.js';
import { str } from '../input.js';
import type { CommandSpec } from '../types.js';
import { CONFIG_OPTIONS, DATAID_ARG, configRef } from './ref.js';
import { checkContent, typeFromDataId } from './content-check.js';

export const configSet: CommandSpec = {
  path: ['config', 'set'],
  summary: 'Publish a config from --value or --file; --if-md5 makes it a compare-and-set',
  args: [DATAID_ARG],
  options: [
    { name: 'value', value: 'text', summary: 'the new content' },
    { name: 'file', value: 'path', summary: 'read the new content from a file' },
    ...CONFIG_OPTIONS,
    { name: 'type', value: 'type', summary: 'content type (default: kept, or guessed from the data id)', choices: CONFIG_TYPES },
    { name: 'if-md5', value: 'md5', summary: 'publish only if the current md5 is this one' },
  ],
  examples: ['opsdeck config set orders.yaml --file orders.yaml --if-md5 5d41402abc4b2a76b9719d911017c592', "opsdeck config set feature.flags --value 'checkout.v2=true' --type properties"],
  mutates: true,
  async run(ctx, input) {
    const value = str(input, 'value');
    const file = str(input, 'file');
    if ((value === undefined) === (file === undefined)) throw usage('give exactly one of --value or --file', 'for example --value "a: 1" or --file ./app.yaml');
    const content = value ?? (await ctx.readFile(file!));
    const ref = configRef(input);
    const config = requireCapability(await ctx.session.config(), 'set', 'publish config');
    let type = str(input, 'type') as ConfigType | undefined;
    if (type === undefined) {
      const existing = await config.get(ref).catch(() => undefined);
      type = existing?.type ?? typeFromDataId(ref.dataId);
    }
    await checkContent(content, type);
    return config.set(ref, content, type, str(input, 'if-md5'));
  },
};
