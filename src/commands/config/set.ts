import type { ConfigBackend } from '../../core/config-center.js';
import { usage } from '../../core/errors.js';
import { CONFIG_TYPES } from '../../core/types.js';
import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { choiceOpt, stringOpt } from '../option-types.js';
import { CAS_OPTIONS, comparing, ifMatchOf } from './cas.js';
import { checkContent, typeFromDataId } from './content-check.js';
import { CONFIG_OPTIONS, DATAID_ARG, findConfig } from './target.js';

export const configSet = defineCommand({
  path: ['config', 'set'],
  summary: 'Publish a config from --value or --file; --if-match makes it a compare-and-set; --beta-ips publishes to those clients only',
  args: DATAID_ARG,
  options: {
    value: stringOpt({ value: 'text', summary: 'the new content' }),
    file: stringOpt({ value: 'path', summary: 'read the new content from a file' }),
    ...CONFIG_OPTIONS,
    type: choiceOpt({ value: 'type', summary: 'content type (default: kept, or guessed from the data id)', choices: CONFIG_TYPES }),
    ...CAS_OPTIONS,
    'beta-ips': stringOpt({ value: 'ip,ip', summary: 'a beta (gray) release: only these client addresses get the content; the released content stays for the others' }),
  },
  examples: [
    'opsdeck config set orders.yaml --file orders.yaml --if-match 5d41402abc4b2a76b9719d911017c592',
    "opsdeck config set feature.flags --value 'checkout.v2=true' --type properties",
    'opsdeck config set orders.yaml --file canary.yaml --beta-ips 10.0.1.11,10.0.1.12',
  ],
  mutates: true,
  async run(ctx, { args, opts }) {
    const { value, file } = opts;
    if ((value === undefined) === (file === undefined)) throw usage('give exactly one of --value or --file', 'for example --value "a: 1" or --file ./app.yaml');
    const betaIps = opts['beta-ips'] === undefined ? undefined : ipList(opts['beta-ips']);
    if (betaIps && (opts['if-match'] !== undefined || opts['if-md5'] !== undefined)) throw usage('--beta-ips does not take --if-match or --if-md5', 'a beta release leaves the released content as it is; publish without them');
    const need = betaIps ? (c: ConfigBackend) => requireCapability(c, 'publishBeta', 'publish beta (gray) releases') : (c: ConfigBackend) => requireCapability(c, 'set', 'publish config');
    const content = value ?? (await ctx.readFile(file!));
    const t = await findConfig(ctx, args.dataId, opts, { creating: true, need });
    const type = opts.type ?? t.found?.type ?? typeFromDataId(args.dataId);
    await checkContent(content, type);
    if (betaIps) {
      await requireCapability(t.backend, 'publishBeta', 'publish beta (gray) releases').publishBeta(t.ref, content, type, betaIps, { signal: ctx.signal });
      return { backend: t.backend.name, ...t.scope, dataId: args.dataId, beta: { ips: betaIps, content } };
    }
    const config = requireCapability(t.backend, 'set', 'publish config');
    const ifMatch = ifMatchOf(opts, config);
    return comparing(args.dataId, config.set(t.ref, content, type, ifMatch === undefined ? { signal: ctx.signal } : { ifMatch, signal: ctx.signal }));
  },
});

/** "10.0.0.1, 10.0.0.2" → the addresses; an empty one is refused rather than meaning "everybody". */
function ipList(text: string): string[] {
  const ips = text.split(',').map((s) => s.trim());
  if (ips.some((ip) => ip === '')) throw usage(`--beta-ips takes addresses separated by commas, not "${text}"`, 'for example --beta-ips 10.0.1.11,10.0.1.12');
  return ips;
}
