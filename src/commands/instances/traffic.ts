import type { Traffic } from '../../core/registry.js';
import { defineCommand } from '../define-command.js';
import { INSTANCE_ARGS, INSTANCE_OPTIONS, findInstance, noted } from './ref.js';

/** drain and undrain differ only in the traffic state they set, so both come from this factory. */
function trafficCommand(verb: 'drain' | 'undrain', traffic: Traffic, summary: string) {
  return defineCommand({
    path: ['instances', verb],
    summary,
    args: INSTANCE_ARGS,
    options: INSTANCE_OPTIONS,
    examples: [`opsdeck instances ${verb} orders 10.0.0.5:8080`],
    mutates: true,
    async run(ctx, input) {
      const t = await findInstance(ctx, input, 'setTraffic', `${verb} instances`);
      return noted(ctx, await t.registry.setTraffic(t.ref, t.instance.id, traffic, { signal: ctx.signal }));
    },
  });
}

export const instancesDrain = trafficCommand('drain', 'disabled', 'Take an instance out of traffic (traffic disabled); it stays registered');
export const instancesUndrain = trafficCommand('undrain', 'enabled', 'Put a drained instance back into traffic (traffic enabled)');
