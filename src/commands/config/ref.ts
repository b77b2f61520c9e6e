import type { ConfigRef } from '../../core/subsystems.js';
import { DEFAULT_GROUP, DEFAULT_NAMESPACE, GROUP, NAMESPACE, req, str } from '../input.js';
import type { ArgSpec, Input, OptionSpec } from '../types.js';

export const DATAID_ARG: ArgSpec = { name: 'dataId', summary: 'config data id', required: true, complete: 'config' };
export const CONFIG_OPTIONS: readonly OptionSpec[] = [GROUP, NAMESPACE];

export function configRef(input: Input): ConfigRef {
  return { namespace: str(input, 'namespace') ?? DEFAULT_NAMESPACE, group: str(input, 'group') ?? DEFAULT_GROUP, dataId: req(input, 'dataId') };
}
