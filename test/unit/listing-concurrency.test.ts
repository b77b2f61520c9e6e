import { describe, expect, it } from 'vitest';
import { askScoped } from '../../src/commands/list-scoped.js';
import type { RegistryBackend, ServiceSummary } from '../../src/core/registry.js';

/**
 * The registries of a profile are asked at once, not one after another (the acceptance bench
 * bench/registries.mjs measures what that buys). Proved without timing: every backend's listing
 * waits until all of them have been asked, which only ends if they run concurrently; asked in
 * turn, the first would wait for ever and the guard below fails the test.
 */
function barrierRegistries(names: string[]): { pool: Array<{ name: string; open(): Promise<RegistryBackend> }>; opened: string[] } {
  let entered = 0;
  let release!: () => void;
  const everyoneAsked = new Promise<void>((r) => (release = r));
  const opened: string[] = [];
  const pool = names.map((name) => ({
    name,
    open: async (): Promise<RegistryBackend> => {
      opened.push(name);
      return {
        name,
        scope: { kinds: [], defaults: {} },
        leaseTtl: 'per-instance',
        listServices: async (): Promise<ServiceSummary[]> => {
          if (++entered === names.length) release();
          await everyoneAsked;
          return [{ backend: name, name: `svc-of-${name}`, instances: 1, healthy: 1, disabled: 0 }];
        },
        getService: async () => {
          throw new Error('not used');
        },
      };
    },
  }));
  return { pool, opened };
}

describe('listing over several registries', () => {
  it('asks every registry before any has answered', async () => {
    const { pool, opened } = barrierRegistries(['embedded', 'eureka', 'consul']);
    let guard: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => (guard = setTimeout(() => reject(new Error('the registries were asked one after another')), 10_000)));
    try {
      const parts = await Promise.race([askScoped<RegistryBackend, ServiceSummary>({ noun: 'registry', pool, given: {}, list: (r) => r.listServices({ scope: {} }) }), stuck]);
      expect(parts.map((p) => [p.backend, p.items.map((s) => s.name), p.complete])).toEqual([
        ['embedded', ['svc-of-embedded'], true],
        ['eureka', ['svc-of-eureka'], true],
        ['consul', ['svc-of-consul'], true],
      ]);
      expect(opened.sort()).toEqual(['consul', 'embedded', 'eureka']);
    } finally {
      clearTimeout(guard);
    }
  });
});
