import { usage } from '../../core/errors.js';
import { CONFIG_TYPES } from '../../core/types.js';
import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { choiceOpt, md5Opt, stringOpt } from '../option-types.js';
import { CONFIG_OPTIONS, DATAID_ARG, configRef } from './ref.js';
import { checkContent, typeFromDataId } from './content-check.js';

export const configSet = defineCommand({
  path: ['config', 'set'],
  summary: 'Publish a config from --value or --file; --if-md5 makes it a compare-and-set',
  args: DATAID_ARG,
  options: {
    value: stringOpt({ value: 'text', summary: 'the new content' }),
    file: stringOpt({ value: 'path', summary: 'read the new content from a file' }),
    ...CONFIG_OPTIONS,
    type: choiceOpt({ value: 'type', summary: 'content type (default: kept, or guessed from the data id)', choices: CONFIG_TYPES }),
    'if-md5': md5Opt({ summary: 'publish only if the current md5 is this one' }),
  },
  examples: ['opsdeck config set orders.yaml --file orders.yaml --if-md5 5d41402abc4b2a76b9719d911017c592', "opsdeck config set feature.flags --value 'checkout.v2=true' --type properties"],
  mutates: true,
  async run(ctx, input) {
    const { value, file } = input.opts;
    if ((value === undefined) === (file === undefined)) throw usage('give exactly one of --value or --file', 'for example --value "a: 1" or --file ./app.yaml');
    const content = value ?? (await ctx.readFile(file!));
    const ref = configRef(input);
    const config = requireCapability(await ctx.session.config(), 'set', 'publish config');
    let type = input.opts.type;
    if (type === undefined) {
      const existing = await config.get(ref).catch(() => undefined);
      type = existing?.type ?? typeFromDataId(ref.dataId);
    }
    await checkContent(content, type);
    return config.set(ref, content, type, input.opts['if-md5']);
  },
});
