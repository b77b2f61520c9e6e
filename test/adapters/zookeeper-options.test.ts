import { describe, expect, it } from 'vitest';
import { ZK_OPTIONS } from '../../src/adapters/zookeeper/options.js';
import { opsdeck, sandbox, writeProfileFile } from '../helpers/cli.js';

/** The registry and config options of a `type: zookeeper` entry, as the profile loader reads them. */
describe('zookeeper registry and config options', () => {
  it('default to the roots Spring Cloud Zookeeper and Dubbo use, and no curator base path', () => {
    expect(ZK_OPTIONS.read({ connect: '127.0.0.1:2181' })).toMatchObject({ servicesRoot: '/services', dubboRoot: '/dubbo', curatorBasePaths: [], configRoot: '/config', defaultType: 'text' });
    expect(ZK_OPTIONS.read({ connect: 'zk:2181', curatorBasePaths: ['/curator-services', '/billing/registry'], configRoot: '/cfg' })).toMatchObject({ curatorBasePaths: ['/curator-services', '/billing/registry'], configRoot: '/cfg' });
  });

  it('refuse roots that are not absolute znode paths below /, naming the key', () => {
    for (const bad of [{ servicesRoot: '/' }, { dubboRoot: 'dubbo' }, { configRoot: '/config/' }, { curatorBasePaths: ['/ok', 'nope'] }, { defaultType: 'docx' }]) {
      expect(() => ZK_OPTIONS.read({ connect: 'zk:2181', ...bad }), JSON.stringify(bad)).toThrow(new RegExp(Object.keys(bad)[0]!));
    }
  });

  it('a profile with the entry under registry: and config: loads, and a bad key is one line with its place (exit 2)', () => {
    const box = sandbox();
    try {
      const file = writeProfileFile(box.env, ['profiles:', '  z:', '    registry: [{type: zookeeper, connect: "127.0.0.1:1", curatorBasePaths: [/cs]}]', '    config: [{type: zookeeper, connect: "127.0.0.1:1", configRoot: cfg}]', ''].join('\n'));
      const r = opsdeck(box.env, ['--profile', 'z', 'profile', 'show']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}:4:`);
      expect(r.stderr).toMatch(/configRoot/);
    } finally {
      box.cleanup();
    }
  });
});
