import zookeeper, { type Client } from 'node-zookeeper-client';

/** A test's own ZooKeeper reads and writes over a raw client (rawZkClient), not through the adapter. */

export function children(c: Client, path: string): Promise<string[]> {
  return new Promise((resolve, reject) => c.getChildren(path, undefined, (e, k) => (e ? (e.getCode() === zookeeper.Exception.NO_NODE ? resolve([]) : reject(e)) : resolve(k))));
}

export function data(c: Client, path: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) => c.getData(path, undefined, (e, d) => (e ? (e.getCode() === zookeeper.Exception.NO_NODE ? resolve(null) : reject(e)) : resolve(d ?? Buffer.alloc(0)))));
}

export function create(c: Client, path: string, body: Buffer, mode = zookeeper.CreateMode.PERSISTENT): Promise<void> {
  return new Promise((resolve, reject) => c.create(path, body, mode, (e) => (e && e.getCode() !== zookeeper.Exception.NODE_EXISTS ? reject(e) : resolve())));
}

export async function mkdirs(c: Client, path: string): Promise<void> {
  let at = '';
  for (const p of path.split('/').filter(Boolean)) await create(c, (at += `/${p}`), Buffer.alloc(0));
}
