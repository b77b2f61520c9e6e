import type { Adapter } from '../../core/subsystems.js';
import { seataLockBackend } from '../../core/tx-lock-view.js';
import type { AdapterContext } from '../types.js';
import { ConsoleHttp } from './console-http.js';
import { parseSeataConsoleOptions } from './options.js';
import { seataConsoleTx } from './seata-console-tx.js';

/**
 * The Seata server's console API (2.x). Query-only: the console has no write endpoints, and the
 * adapter offers `tx` and, read-only, `locks` (global row locks as seata-global-lock entries).
 */
export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  const o = parseSeataConsoleOptions(options, ctx.name);
  const http = new ConsoleHttp(o);
  const tx = seataConsoleTx(http, o);
  const locks = seataLockBackend(tx, o.pageSize * o.maxPages);
  return {
    type: 'seata-console',
    tx,
    locks,
    async ping() {
      // A login and the smallest query prove the URL, the credentials and the store behind it.
      await http.get('/api/v1/console/globalSession/query', { pageNum: 1, pageSize: 1 });
      return { version: null };
    },
    async dispose() {
      await http.close();
    },
  };
}
