import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { INSTANCE_ARGS, INSTANCE_OPTIONS, instanceTarget } from './ref.js';

/** drain and undrain differ only in the state they set, so both come from this factory. */
function setEnabledCommand(verb: 'drain' | 'undrain', enabled: boolean, summary: string) {
  return defineCommand({
    path: ['instances', verb],
    summary,
    args: INSTANCE_ARGS,
    options: INSTANCE_OPTIONS,
    examples: [`opsdeck instances ${verb} orders 10.0.0.5:8080`],
    mutates: true,
    async run(ctx, input) {
      const { ref, ip, port } = instanceTarget(input);
      const registry = requireCapability(await ctx.session.registry(), 'setEnabled', `${verb} instances`);
      return registry.setEnabled(ref, ip, port, enabled);
    },
  });
}

export const instancesDrain = setEnabledCommand('drain', false, 'Take an instance out of traffic (enabled=false); it stays registered');
export const instancesUndrain = setEnabledCommand('undrain', true, 'Put a drained instance back into traffic (enabled=true)');
