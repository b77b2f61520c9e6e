import type { ConfigBackend, ConfigItem, ConfigRef } from '../../core/config-center.js';
import type { Scope } from '../../core/scope.js';
import { nameArg } from '../arg-types.js';
import { findOne, poolOf, type Found } from '../find-one.js';
import { CONFIG_BACKEND, givenScope, SCOPE_OPTIONS, type ScopeOpts } from '../input.js';
import type { Ctx } from '../types.js';

export const DATAID_ARG = { dataId: nameArg({ summary: 'config data id', complete: 'config', example: 'orders.yaml' }) };
/** What addresses one config: its backend (when the profile has several) and its scope. */
export const CONFIG_OPTIONS = { backend: CONFIG_BACKEND, ...SCOPE_OPTIONS };

export type ConfigOpts = ScopeOpts & { backend?: string | undefined };

export interface ConfigTarget<T> extends Found<ConfigBackend, T> {
  ref: ConfigRef;
}

/**
 * The config backend that holds `dataId` in the scope given (see `findOne`), and what `lookup`
 * reads there (the config itself by default; its history for `config history`, which outlives a
 * delete). `creating`: publishing may create it, so absent is a result.
 */
export async function findConfig<T = ConfigItem>(
  ctx: Pick<Ctx, 'session'>,
  dataId: string,
  opts: ConfigOpts,
  how: { need?: (c: ConfigBackend) => void; creating?: boolean; lookup?: (c: ConfigBackend, ref: ConfigRef) => Promise<T> } = {},
): Promise<ConfigTarget<T>> {
  const session = ctx.session;
  const read = how.lookup ?? ((c: ConfigBackend, ref: ConfigRef) => c.get(ref) as Promise<T>);
  const found = await findOne<ConfigBackend, T>({
    noun: 'config',
    pool: await poolOf(session.configBackends(), opts.backend, (name) => session.configBackend(name)),
    given: givenScope(opts),
    what: `config ${dataId}`,
    lookup: (c, scope: Scope) => read(c, { scope, dataId }),
    listHint: 'run "opsdeck config list" to see the data ids',
    ...(how.need ? { need: how.need } : {}),
    ...(how.creating ? { creating: true } : {}),
  });
  return { ...found, ref: { scope: found.scope, dataId } };
}
