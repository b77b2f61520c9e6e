import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/commands/table.js';
import type { Scope } from '../../../src/core/scope.js';
import { USE_COMMAND } from '../../../src/frontends/tui/use-namespace.js';
import { complete } from '../../../src/shell/completion/complete.js';
import type { CompletionData, ScopeQuery } from '../../../src/shell/completion/types.js';
import { fakeData } from './fixtures.js';

/**
 * Completion follows the line's context: the namespace given with --namespace on the line, or the
 * console's namespace in effect (`use`), narrows services, config ids and instances. The line's
 * flag wins over the console's namespace.
 */
const asked: ScopeQuery[] = [];
const placed: Record<string, string[]> = { staging: ['orders-api', 'staging-only'], public: ['orders-api', 'payments-gateway'] };
const { data: base } = fakeData();
const data: CompletionData = {
  ...base,
  servicesIn: (q) => (asked.push(q), placed[q.scope.namespace ?? ''] ?? []),
  configIdsIn: (q) => (asked.push(q), q.scope.namespace === 'staging' ? ['staging.yaml'] : []),
};
const values = (line: string, inEffect: Scope = {}) => complete(COMMANDS, line, line.length, data, 50, inEffect).items.map((i) => i.value);

describe('completion narrowed by the scope in effect', () => {
  it('instances drain SERVICE <Tab> offers the instances of the --namespace on the line, not those of another namespace', () => {
    expect(values('instances drain orders-api --namespace staging ')).toEqual(['10.2.0.9#8080#DEFAULT#DEFAULT_GROUP@@orders-api']);
    expect(values('instances drain orders-api ', { namespace: 'staging' })).toEqual(['10.2.0.9#8080#DEFAULT#DEFAULT_GROUP@@orders-api']);
    expect(values('instances drain orders-api ')).toEqual(['10.0.0.5:8080', '10.0.0.6:8080', '10.0.1.7:9090']);
  });

  it("the console's namespace counts where the line names none, and the line's --namespace wins over it", () => {
    expect(values('instances drain orders-api ', { namespace: 'staging' })).not.toContain('10.0.0.5:8080');
    // The line says the default namespace's scope explicitly through --namespace: the fixture caches only {} and staging.
    const line = 'instances drain --namespace=staging orders-api ';
    expect(values(line, { namespace: 'elsewhere' })).toEqual(['10.2.0.9#8080#DEFAULT#DEFAULT_GROUP@@orders-api']);
  });

  it('service names come from the scope on the line or in effect; with none, every name', () => {
    asked.length = 0;
    expect(values('services show --namespace staging ')).toEqual(['orders-api', 'staging-only']);
    expect(asked).toEqual([{ scope: { namespace: 'staging' } }]);
    expect(values('instances drain st', { namespace: 'staging' })).toEqual(['staging-only']);
    expect(values('instances drain pay', { namespace: 'staging' })).toEqual([]);
    expect(values('instances drain pay').sort()).toEqual(['payments-gateway', 'payments-refund-api']);
    asked.length = 0;
    values('services show --backend nacos2 --namespace public ');
    expect(asked).toEqual([{ scope: { namespace: 'public' }, backend: 'nacos2' }]);
  });

  it('config ids too', () => {
    expect(values('config get ', { namespace: 'staging' })).toEqual(['staging.yaml']);
    expect(values('config get --namespace other ')).toEqual([]);
    expect(values('config get or')).toEqual(['orders.yaml']);
  });

  it("the console's use completes namespace names, as --namespace does", () => {
    const line = 'use pay';
    expect(complete([...COMMANDS, USE_COMMAND], line, line.length, data).items.map((i) => i.value)).toEqual(['payments-ns']);
    expect(complete([...COMMANDS, USE_COMMAND], 'use --', 6, data).items.map((i) => i.value)).toContain('--all');
  });
});
