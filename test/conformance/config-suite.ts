import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentAfter, type ConfigBackend, type ConfigEvent, type ConfigRef } from '../../src/core/config-center.js';
import { OpsError } from '../../src/core/errors.js';
import type { Scope } from '../../src/core/scope.js';
import { eventually, type Skips } from './registry-suite.js';

/**
 * The config conformance suite. Every config adapter runs it; the embedded backend must pass all
 * of it. The probe reads the config centre directly (the embedded store's files, a Nacos server's
 * own HTTP API), so a backend cannot pass by agreeing with itself.
 */
export interface ConfigHarness {
  backend: ConfigBackend;
  probe: {
    /** The content the config centre holds for this config right now; null when there is none. */
    content(ref: ConfigRef): Promise<string | null>;
  };
  /** Where the suite creates its configs; each case names its own data ids. */
  scope: Scope;
  /** How long a write may take to show (Nacos answers 404 right after a publish for about a second). */
  settleMs: number;
  /** How long a watch may take to report a change (a long poll, md5 polling). */
  watchMs: number;
  dispose(): Promise<void>;
}

export type ConfigCase = 'set-get' | 'cas-stale' | 'cas-match' | 'delete' | 'history' | 'list' | 'watch' | 'cancelled' | 'not-found';

export function describeConfigConformance(label: string, setup: () => Promise<ConfigHarness>, skip: Skips<ConfigCase> = {}): void {
  describe(`config conformance: ${label}`, () => {
    let h: ConfigHarness;
    let n = 0;
    const fresh = (suffix = '.properties') => `conf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${n++}${suffix}`;
    const ref = (dataId = fresh()): ConfigRef => ({ scope: h.scope, dataId });
    /** The optional method a case needs; a backend without it must have that case skipped with a reason. */
    const can = <K extends 'set' | 'delete' | 'history' | 'versionContent' | 'watch'>(m: K): NonNullable<ConfigBackend[K]> => {
      const f = h.backend[m];
      if (typeof f !== 'function') throw new Error(`${label} has no ${m}: skip the case that needs it, with a reason`);
      return f.bind(h.backend) as NonNullable<ConfigBackend[K]>;
    };
    const publish = (r: ConfigRef, content: string, ifMatch?: string) => can('set')(r, content, 'properties', ifMatch === undefined ? {} : { ifMatch });
    const reads = (r: ConfigRef, content: string) =>
      eventually(h.settleMs, async () => {
        const item = await h.backend.get(r);
        expect(item.content).toBe(content);
        return item;
      });
    // Generous: the setup may be the first to ask for a shared JVM server (Nacos starts in 20-60 s here, longer while others build).
    beforeAll(async () => {
      h = await setup();
    }, 20 * 60_000);
    afterAll(async () => {
      await h?.dispose();
    });
    const test = (name: ConfigCase, title: string, fn: () => Promise<void>, timeout?: number) => {
      if (skip[name]) it.skip(`${title} (skipped: ${skip[name]})`, fn);
      else it(title, fn, timeout);
    };

    test('set-get', 'a published config is read back with its type, md5 and a token, and the config centre holds it', async () => {
      const r = ref();
      const set = await publish(r, 'a=1\n');
      expect(set).toMatchObject({ backend: h.backend.name, dataId: r.dataId, content: 'a=1\n' });
      expect(await h.probe.content(r)).toBe('a=1\n');
      const got = await reads(r, 'a=1\n');
      expect(got).toMatchObject({ type: 'properties', md5: set.md5 });
      expect(got.md5).toMatch(/^[0-9a-f]{32}$/);
      expect(got.token).not.toBe('');
      for (const k of h.backend.scope.kinds) expect(got[k]).toBe(r.scope[k] ?? h.backend.scope.defaults[k]);
    });

    test('cas-stale', 'a publish with a stale token is refused as a conflict and the content stays', async () => {
      const r = ref();
      const first = await publish(r, 'v=1\n');
      await reads(r, 'v=1\n');
      const second = await publish(r, 'v=2\n', first.token);
      await reads(r, 'v=2\n');
      expect(second.token).not.toBe(first.token);
      const err = await publish(r, 'v=3\n', first.token).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpsError);
      expect((err as OpsError).kind).toBe('conflict');
      expect(await h.probe.content(r)).toBe('v=2\n');
    });

    test('cas-match', 'a publish whose token is current wins', async () => {
      const r = ref();
      await publish(r, 'w=1\n');
      const now = await reads(r, 'w=1\n');
      await publish(r, 'w=2\n', now.token);
      expect(await h.probe.content(r)).toBe('w=2\n');
    });

    test('delete', 'a deleted config is gone from the config centre, and reading it is not-found', async () => {
      const r = ref();
      await publish(r, 'd=1\n');
      const item = await reads(r, 'd=1\n');
      await can('delete')(r, { ifMatch: item.token });
      expect(await h.probe.content(r)).toBeNull();
      await eventually(h.settleMs, async () => {
        const err = await h.backend.get(r).catch((e: unknown) => e);
        expect((err as OpsError).kind).toBe('not-found');
      });
    });

    test('history', 'history is newest first, and contentAfter reproduces every published content in order', async () => {
      const r = ref();
      const contents = ['h=1\n', 'h=2\n', 'h=3\n'];
      for (const c of contents) {
        await publish(r, c);
        await reads(r, c);
      }
      const { entries: history, complete, incomplete } = await eventually(h.settleMs, async () => {
        const rows = await can('history')(r);
        expect(rows.entries.length).toBeGreaterThanOrEqual(contents.length);
        return rows;
      });
      // A config made in this case has all its history, and says so.
      expect({ complete, incomplete }).toEqual({ complete: true, incomplete: null });
      for (let i = 1; i < history.length; i++) {
        const [newer, older] = [history[i - 1]!.at, history[i]!.at];
        if (newer !== null && older !== null) expect(Date.parse(newer)).toBeGreaterThanOrEqual(Date.parse(older));
      }
      expect(history.at(-1)!.op).toBe('create');
      const read = can('versionContent');
      const after = await Promise.all(history.map((e) => contentAfter(history, e, (id) => read(r, id), () => h.probe.content(r))));
      expect(after.reverse()).toEqual(contents);
    });

    test('list', 'a listing by text finds the configs that contain it and no other', async () => {
      const stem = fresh('');
      const mine = [ref(`${stem}-a.properties`), ref(`${stem}-b.properties`)];
      const other = ref();
      for (const r of [...mine, other]) await publish(r, 'l=1\n');
      await eventually(h.settleMs, async () => {
        const listed = await h.backend.list({ scope: h.scope, text: stem });
        expect(listed.map((c) => c.dataId).sort()).toEqual(mine.map((r) => r.dataId).sort());
        expect(listed.every((c) => c.backend === h.backend.name)).toBe(true);
      });
    });

    test('watch', 'a watch sees a change made after it started', async () => {
      const r = ref();
      await publish(r, 'before=1\n');
      await reads(r, 'before=1\n');
      const ac = new AbortController();
      const seen: ConfigEvent[] = [];
      const watching = (async () => {
        for await (const e of can('watch')(r, ac.signal)) seen.push(e);
      })();
      // The watcher's start-up time is unknown (a long poll registers, md5 polling takes a first
      // look), so keep publishing new content until it reports a change.
      const published = new Map<string, string>();
      try {
        await eventually(h.watchMs, async () => {
          if (seen.length === 0) {
            const c = `after=${published.size + 1}\n`;
            published.set((await publish(r, c)).md5, c);
          }
          expect(seen.length).toBeGreaterThan(0);
        });
      } finally {
        ac.abort();
        await watching;
      }
      const e = seen[0]!;
      expect(e).toMatchObject({ backend: h.backend.name, dataId: r.dataId });
      // What the event says it saw is one of the publishes made after the watch started.
      expect(e.content === null ? published.has(e.md5 ?? '') : [...published.values()].includes(e.content)).toBe(true);
    }, 60_000);

    test('cancelled', 'a publish whose signal has aborted (Ctrl-C) fails and writes nothing', async () => {
      const r = ref();
      const ac = new AbortController();
      ac.abort();
      const err = await can('set')(r, 'c=1\n', 'properties', { signal: ac.signal }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpsError);
      expect((err as OpsError).kind).toBe('failed');
      expect(await h.probe.content(r)).toBeNull();
    });

    test('not-found', 'an unknown config is not-found, and the message names it', async () => {
      const r = ref();
      const err = await h.backend.get(r).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpsError);
      expect((err as OpsError).kind).toBe('not-found');
      expect((err as OpsError).message).toContain(r.dataId);
    });
  });
}
