import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { GuardedConnector } from './guarded-connector.js';

/**
 * The connector of a MONITOR connection. ioredis sends MONITOR and switches the client to
 * monitoring a microtask after the server's OK; on a busy server the first monitored commands
 * arrive in the same TCP chunk as that OK, are parsed at once as replies to no command, and
 * ioredis drops the connection ("Command queue state error") and loops reconnecting. So after
 * MONITOR is written, the chunk holding its OK is cut after the OK and the rest (and any chunk
 * after it) is handed on a turn of the event loop later, once the client is monitoring.
 */
export class MonitorConnector extends GuardedConnector {
  override async connect(): Promise<Socket> {
    const stream = await super.connect();
    deferAfterMonitorOk(stream);
    return stream;
  }
}

function deferAfterMonitorOk(stream: Socket): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const emit = stream.emit as (this: Socket, event: string | symbol, ...args: unknown[]) => boolean;
  let state: 'before' | 'awaiting-ok' | 'deferring' | 'monitoring' = 'before';
  const held: Buffer[] = [];
  stream.write = function (chunk: unknown, ...rest: unknown[]): boolean {
    if (state === 'before' && /monitor/i.test(String(chunk))) state = 'awaiting-ok';
    return write(chunk, ...rest);
  } as Socket['write'];
  stream.emit = function (this: Socket, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'data' || state === 'before' || state === 'monitoring') return emit.call(this, event, ...args);
    const chunk = args[0] as Buffer;
    if (state === 'deferring') {
      held.push(chunk);
      return true;
    }
    const end = chunk.indexOf('\r\n');
    if (end < 0) return emit.call(this, event, chunk);
    state = 'deferring';
    held.push(chunk.subarray(end + 2));
    const result = emit.call(this, event, chunk.subarray(0, end + 2));
    setImmediate(() => {
      state = 'monitoring';
      for (const c of held.splice(0)) if (c.length > 0 && !this.destroyed) emit.call(this, 'data', c);
    });
    return result;
  } as Socket['emit'];
}

/** A monitoring connection to the node `node` is connected to, resolved once ioredis is monitoring. */
export function openMonitor(node: Redis): Promise<Redis> {
  const monitor = node.duplicate({ monitor: true, lazyConnect: false, Connector: MonitorConnector });
  return new Promise((resolve, reject) => {
    monitor.once('error', (e) => {
      monitor.disconnect();
      reject(e);
    });
    monitor.once('monitoring', () => resolve(monitor));
  });
}
