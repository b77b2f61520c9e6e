import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contentAfter } from '../../src/core/config-center.js';
import { Engine } from '../../src/engine/engine.js';
import { md5 } from '../../src/engine/config-engine.js';
import { filesOf } from '../helpers/files-of.js';

/**
 * A data dir written by an old build (the first store format, before the registry and config
 * contracts; see test/fixtures/embedded-store-v1/README.md) reads through today's engines: the
 * documents kept their fields, and the contracts' new fields are derived from them.
 */
const FIXTURE = resolve(__dirname, '../fixtures/embedded-store-v1/data');

describe('an old data dir through the new contracts', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shows its instance, configs, history and deletion, and reading changes no byte', async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsdeck-old-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const before = filesOf(dir);
    const engine = Engine.open(dir);
    try {
      expect(await engine.registry.listServices({ scope: {} })).toEqual([{ backend: 'embedded', namespace: 'public', group: 'DEFAULT_GROUP', name: 'orders', instances: 1, healthy: 1, disabled: 0 }]);
      const orders = await engine.registry.getService({ scope: {}, name: 'orders' });
      expect(orders.instances[0]).toMatchObject({ id: '10.0.0.1:8080', health: 'passing', traffic: 'enabled', ephemeral: false, cluster: null, lease: null });
      const ref = { scope: {}, dataId: 'app1.yaml' };
      const app1 = await engine.config.get(ref);
      expect(app1).toMatchObject({ content: 'port: 8001\nname: svc-1 v2', version: 2, token: md5('port: 8001\nname: svc-1 v2') });
      const history = (await engine.config.history(ref)).entries;
      expect(history.map((h) => [h.id, h.op, h.contentIs])).toEqual([['2', 'update', 'after'], ['1', 'create', 'after']]);
      const read = (id: string) => engine.config.versionContent(ref, id);
      expect(await contentAfter(history, history[1]!, read, async () => app1.content)).toBe('port: 801\nname: svc-1');
      const gone = (await engine.config.history({ scope: {}, dataId: 'app6.yaml' })).entries;
      expect(gone[0]).toMatchObject({ op: 'delete', md5: null });
      expect(await engine.config.versionContent({ scope: {}, dataId: 'app6.yaml' }, gone[0]!.id)).toBeNull();
      expect(await engine.config.versionContent({ scope: {}, dataId: 'app6.yaml' }, gone[1]!.id)).toBe('port: 806\nname: svc-6');
      expect((await engine.registry.listScope('namespace')).map((n) => n.id)).toEqual(['public']);
    } finally {
      engine.close();
    }
    expect(filesOf(dir)).toEqual(before);
  });
});
