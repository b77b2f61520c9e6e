import type { ConfigRef } from '../../core/subsystems.js';
import { arg } from '../arg-types.js';
import { GROUP, NAMESPACE } from '../input.js';
import type { Values } from '../types.js';

export const DATAID_ARG = { dataId: arg({ summary: 'config data id', complete: 'config' }) };
export const CONFIG_OPTIONS = { group: GROUP, namespace: NAMESPACE };

export function configRef(input: { args: Values<typeof DATAID_ARG>; opts: Values<typeof CONFIG_OPTIONS> }): ConfigRef {
  return { namespace: input.opts.namespace, group: input.opts.group, dataId: input.args.dataId };
}
