import type { ConfigBackend, ConfigListing, ConfigSummary } from '../../core/config-center.js';
import type { ListOptions } from '../../core/subsystems.js';
import type { Session } from '../../session/session.js';
import { defineCommand } from '../define-command.js';
import { poolOf } from '../find-one.js';
import { givenScope, LIST_BACKEND, SCOPE_FILTERS, type ListFilter } from '../input.js';
import { listingExitCode, noting, type BackendPart } from '../listing.js';
import { askScoped, settleScoped } from '../list-scoped.js';
import { stringOpt } from '../option-types.js';
import type { Ctx } from '../types.js';

/** Every config backend of the profile (or the one --backend names) asked on its own; the config pane lists through here too. */
export async function configParts(session: Session, f: ListFilter, opts: (backend: string) => ListOptions = () => ({})): Promise<Array<BackendPart<ConfigSummary>>> {
  const scope = givenScope(f);
  return askScoped<ConfigBackend, ConfigSummary>({
    noun: 'config',
    pool: await poolOf(session.configBackends(), f.backend, (name) => session.configBackend(name)),
    given: scope,
    list: (c, stopped, name) => c.list({ scope, ...(f.filter === undefined ? {} : { text: f.filter }) }, noting(opts(name), stopped)),
  });
}

export async function listConfigs(ctx: Pick<Ctx, 'session' | 'signal' | 'warn' | 'progress'>, f: ListFilter): Promise<ConfigListing> {
  const { coverage, items } = await settleScoped(ctx, 'config', 'configs', (opts) => configParts(ctx.session, f, opts));
  return { ...coverage, configs: items };
}

export const configList = defineCommand({
  path: ['config', 'list'],
  summary: 'List config entries with type, version and md5, on every config backend of the profile',
  args: {},
  options: {
    ...SCOPE_FILTERS,
    filter: stringOpt({ value: 'text', summary: 'only data ids containing this text (case-insensitive); with *, ids matching the pattern' }),
    backend: LIST_BACKEND,
  },
  examples: ['opsdeck config list', 'opsdeck config list --group payments -o json', "opsdeck config list --filter 'orders*'"],
  mutates: false,
  async run(ctx, { opts }) {
    return listConfigs(ctx, opts);
  },
  exitCode: listingExitCode,
});
