import type { RegistryBackend, ScopeEntry } from '../../core/registry.js';
import { defineCommand } from '../define-command.js';
import { poolOf } from '../find-one.js';
import { LIST_BACKEND } from '../input.js';
import { listingExitCode } from '../listing.js';
import { listScoped } from '../list-scoped.js';
import { requireCapability } from '../capability.js';

export const namespacesList = defineCommand({
  path: ['namespaces', 'list'],
  summary: 'List the namespaces of every registry that has them (id, name, description)',
  args: {},
  options: { backend: LIST_BACKEND },
  examples: ['opsdeck namespaces list', 'opsdeck namespaces list --backend nacos -o json'],
  mutates: false,
  async run(ctx, { opts }) {
    const session = ctx.session;
    const { coverage, items } = await listScoped<RegistryBackend, ScopeEntry & { backend: string }>(ctx, {
      noun: 'registry',
      pool: await poolOf(session.registryBackends(), opts.backend, (name) => session.registryBackend(name)),
      // Asking for namespaces is giving the namespace kind: a registry without it is left out (or refused when named).
      given: { namespace: '' },
      narrower: '--backend',
      list: async (r) => (await requireCapability(r, 'listScope', 'list namespaces').listScope('namespace')).map((e) => ({ backend: r.name, ...e })),
    });
    return { ...coverage, namespaces: items };
  },
  exitCode: listingExitCode,
});
