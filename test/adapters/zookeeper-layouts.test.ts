import { describe, expect, it } from 'vitest';
import { notAllowed, parseCons, versionOf } from '../../src/adapters/zookeeper/four-letter.js';
import { classify, holdingNodes, ownerLabel, recognise, type LockFacts, type ZNode } from '../../src/adapters/zookeeper/layouts.js';
import { encodeNodeData } from '../../src/adapters/zookeeper/node-data.js';
import { parseZkOptions } from '../../src/adapters/zookeeper/options.js';

/** Recognition is pure: these cases are built from the layouts Curator writes (see ARCHITECTURE.md). */

const U = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
let zxid = 100n;
function node(name: string, session: bigint, data = '10.0.0.7', ctime = 1_700_000_000_000): ZNode {
  return { name, data: Buffer.from(data), stat: { czxid: zxid++, ctime, mtime: ctime, version: 0, ephemeralOwner: session, numChildren: 0 } };
}
const noSessions = { bySession: null, note: null };

describe('classify', () => {
  it('tells the recipes apart by child names alone', () => {
    expect(classify([`_c_${U}-lock-0000000003`])).toBe('mutex');
    expect(classify([`_c_${U}-__READ__0000000001`, `_c_${U}-__WRIT__0000000002`])).toBe('rwlock');
    expect(classify(['leases', 'locks'])).toBe('semaphore');
    expect(classify(['leases', 'other'])).toBeNull();
    expect(classify(['orders', 'billing'])).toBeNull();
  });
});

describe('Curator mutex', () => {
  it('takes the lowest sequence as the holder, whatever order the server lists them in', () => {
    const f: LockFacts = {
      name: 'orders',
      path: '/locks/orders',
      kind: 'mutex',
      nodes: [node(`_c_${U}-lock-0000000012`, 0x2n), node(`_c_${U}-lock-0000000009`, 0x1n, '10.0.0.9'), node(`_c_${U}-lock-0000000010`, 0x3n, 'app-7')],
    };
    const v = recognise(f, 'zk', 0, { bySession: new Map([['0x1', { address: '10.0.0.9:51234', timeoutMs: 60000 }]]), note: null })!;
    expect(v.holder).toBe('0x1@10.0.0.9');
    expect(v.waiters!.map((w) => w.owner)).toEqual(['0x3@app-7', '0x2@10.0.0.7']);
    expect(v.details).toMatchObject({ session: '0x1', client: '10.0.0.9:51234', ip: '10.0.0.9', node: `/locks/orders/_c_${U}-lock-0000000009` });
    expect(v.token).toBe(Number(f.nodes![1]!.stat.czxid));
    expect(holdingNodes(f).map((h) => h.path)).toEqual([`/locks/orders/_c_${U}-lock-0000000009`]);
  });

  it("reads opsdeck's own node data: owner, holds and the lease", () => {
    const data = encodeNodeData({ owner: 'alice', holds: 2, leaseMs: 30_000, acquiredAt: '2024-01-01T00:00:00.000Z' }).toString();
    const v = recognise({ name: 'x', path: '/l/x', kind: 'mutex', nodes: [node(`_c_${U}-lock-0000000001`, 0x5n, data)] }, 'zk', Date.parse('2024-01-01T00:00:10.000Z'), noSessions)!;
    expect(v).toMatchObject({ holder: 'alice', reentrancy: 2, acquiredAt: '2024-01-01T00:00:00.000Z', expiresAt: '2024-01-01T00:00:30.000Z', ttlMs: 20_000 });
  });

  it('labels binary or empty data by session only', () => {
    expect(ownerLabel(node('lock-0000000001', 0xabcn, '\u0000\u0001'))).toBe('0xabc');
    expect(ownerLabel(node('lock-0000000001', 0xabcn, ''))).toBe('0xabc');
  });
});

describe('Curator read-write lock', () => {
  const r = (seq: number, s: bigint) => node(`_c_${U}-__READ__${String(seq).padStart(10, '0')}`, s);
  const w = (seq: number, s: bigint) => node(`_c_${U}-__WRIT__${String(seq).padStart(10, '0')}`, s);

  it('readers before the first writer hold; everyone after it waits', () => {
    const v = recognise({ name: 'rw', path: '/l/rw', kind: 'rwlock', nodes: [r(1, 1n), r(2, 2n), w(3, 3n), r(4, 4n)] }, 'zk', 0, noSessions)!;
    expect(v.details!.mode).toBe('read');
    expect(v.holder).toBe('0x1@10.0.0.7,0x2@10.0.0.7');
    expect(v.waiters!.map((x) => x.owner)).toEqual(['0x3@10.0.0.7', '0x4@10.0.0.7']);
    expect(v.token).toBeNull();
  });

  it('a writer first holds alone, except for read locks its own session took', () => {
    const v = recognise({ name: 'rw', path: '/l/rw', kind: 'rwlock', nodes: [w(1, 7n), r(2, 8n), r(3, 7n)] }, 'zk', 0, noSessions)!;
    expect(v.details!.mode).toBe('write');
    expect(v.holder).toBe('0x7@10.0.0.7');
    expect((v.details!.readers as Array<{ session: string }>).map((x) => x.session)).toEqual(['0x7']);
    expect(v.waiters!.map((x) => x.owner)).toEqual(['0x8@10.0.0.7']);
  });
});

describe('Curator semaphore V2', () => {
  it('counts the newest lease as waiting when its session holds the internal mutex', () => {
    const f: LockFacts = {
      name: 'sem',
      path: '/l/sem',
      kind: 'semaphore',
      leases: [node(`_c_${U}-lease-0000000001`, 1n), node(`_c_${U}-lease-0000000002`, 2n)],
      locks: [node(`_c_${U}-lock-0000000005`, 2n), node(`_c_${U}-lock-0000000006`, 3n)],
    };
    const v = recognise(f, 'zk', 0, noSessions)!;
    expect(v.holder).toBe('0x1@10.0.0.7');
    expect(v.waiters!.map((x) => x.owner)).toEqual(['0x2@10.0.0.7', '0x3@10.0.0.7']);
    expect(v.details).toMatchObject({ leasesHeld: 1, maxLeases: null });
    expect(holdingNodes(f).map((h) => h.path)).toEqual([`/l/sem/leases/_c_${U}-lease-0000000001`]);
  });

  it('an empty semaphore left behind is not shown', () => {
    expect(recognise({ name: 'sem', path: '/l/sem', kind: 'semaphore', leases: [], locks: [] }, 'zk', 0, noSessions)).toBeNull();
  });
});

describe('four-letter words', () => {
  it('maps sessions to client addresses from cons, skipping connections without a session', () => {
    const cons = [
      ' /127.0.0.1:46856[0](queued=0,recved=1,sent=0)',
      ' /10.1.2.3:46854[1](queued=1,recved=5,sent=4,sid=0x1000005a8b70000,lop=CREA,est=1795621520197,to=5000,lcxid=0x2,lzxid=0x4,lresp=379725,llat=2,minlat=0,avglat=6,maxlat=12)',
      '',
    ].join('\n');
    const m = parseCons(cons);
    expect([...m]).toEqual([['0x1000005a8b70000', { address: '10.1.2.3:46854', timeoutMs: 5000 }]]);
  });

  it('recognises a refusal and reads the version', () => {
    expect(notAllowed('cons is not executed because it is not in the whitelist.\n')).toBe(true);
    expect(versionOf('Zookeeper version: 3.8.0-abc, built on 2024-12-29\nMode: standalone\n')).toBe('3.8.0-abc');
  });
});

describe('profile options', () => {
  it('parses servers and chroot, and refuses a bad root', () => {
    const o = parseZkOptions({ connect: 'a:2181,b:2182/app' }, 'zk');
    expect(o.servers).toEqual([
      { host: 'a', port: 2181 },
      { host: 'b', port: 2182 },
    ]);
    expect(o.root).toBe('/locks');
    expect(() => parseZkOptions({ connect: 'a:2181', root: 'locks/' }, 'zk')).toThrow(/absolute znode path/);
    expect(() => parseZkOptions({}, 'zk')).toThrow(/connect/);
  });
});
