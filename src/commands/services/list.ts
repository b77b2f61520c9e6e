import type { RegistryBackend, ServiceListing, ServiceSummary } from '../../core/registry.js';
import type { ListOptions } from '../../core/subsystems.js';
import type { Session } from '../../session/session.js';
import { defineCommand } from '../define-command.js';
import { poolOf } from '../find-one.js';
import { givenScope, LIST_BACKEND, SCOPE_FILTERS, type ListFilter } from '../input.js';
import { listingExitCode, noting, type BackendPart } from '../listing.js';
import { askScoped, settleScoped } from '../list-scoped.js';
import { stringOpt } from '../option-types.js';
import type { Ctx } from '../types.js';

/**
 * Every registry of the profile (or the one --backend names) asked on its own: the command, the
 * services pane and completion all list through here, so a registry that is down is one
 * incomplete part everywhere.
 */
export async function serviceParts(session: Session, f: ListFilter, opts: (backend: string) => ListOptions = () => ({})): Promise<Array<BackendPart<ServiceSummary>>> {
  const scope = givenScope(f);
  return askScoped<RegistryBackend, ServiceSummary>({
    noun: 'registry',
    pool: await poolOf(session.registryBackends(), f.backend, (name) => session.registryBackend(name)),
    given: scope,
    list: (r, stopped, name, warn) => r.listServices({ scope, ...(f.filter === undefined ? {} : { text: f.filter }) }, noting(opts(name), stopped, warn)),
  });
}

export async function listServices(ctx: Pick<Ctx, 'session' | 'signal' | 'warn' | 'progress'>, f: ListFilter): Promise<ServiceListing> {
  const { coverage, items } = await settleScoped(ctx, 'registry', 'services', (opts) => serviceParts(ctx.session, f, opts));
  return { ...coverage, services: items };
}

export const servicesList = defineCommand({
  path: ['services', 'list'],
  summary: 'List services with their instance, healthy and drained counts, on every registry of the profile',
  args: {},
  options: {
    ...SCOPE_FILTERS,
    filter: stringOpt({ value: 'text', summary: 'only names containing this text (case-insensitive)' }),
    backend: LIST_BACKEND,
  },
  examples: ['opsdeck services list', 'opsdeck services list --namespace staging -o json'],
  mutates: false,
  async run(ctx, { opts }) {
    return listServices(ctx, opts);
  },
  exitCode: listingExitCode,
});
