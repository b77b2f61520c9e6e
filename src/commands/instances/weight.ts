import { numberArg } from '../arg-types.js';
import { defineCommand } from '../define-command.js';
import { numberOpt } from '../option-types.js';
import { INSTANCE_ARGS, INSTANCE_OPTIONS, findInstance, noted } from './ref.js';

// Nacos refuses weights outside 0–10000; the same bound everywhere keeps a profile switch safe.
const WEIGHT_BOUNDS = { min: 0, max: 10_000 };
export const WEIGHT_OPT = numberOpt({ value: 'w', summary: 'load-balancing weight', default: '1', ...WEIGHT_BOUNDS });

export const instancesWeight = defineCommand({
  path: ['instances', 'weight'],
  summary: "Set an instance's load-balancing weight (0 takes it out of weighted balancing)",
  args: { ...INSTANCE_ARGS, weight: numberArg({ summary: 'the new weight, from 0 to 10000', ...WEIGHT_BOUNDS, example: '2' }) },
  options: INSTANCE_OPTIONS,
  examples: ['opsdeck instances weight orders 10.0.0.5:8080 2'],
  mutates: true,
  async run(ctx, input) {
    const t = await findInstance(ctx, input, 'setWeight', 'set weights');
    return noted(ctx, await t.registry.setWeight(t.ref, t.instance.id, input.args.weight, { signal: ctx.signal }));
  },
});
