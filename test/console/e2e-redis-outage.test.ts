import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { opsdeck } from '../helpers/cli.js';
import { startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';
import { startRedis } from '../servers/redis-server.js';

/**
 * A Redis outage in the locks pane, against a real redis-server the test starts and stops: the last
 * good rows stay, marked stale with their age; the error is one short line in the pane's header,
 * never the raw driver text and never in the HOLDER column.
 */
const ctx = useConsoleSandbox(120, 32);

describe('locks pane during a Redis outage', () => {
  it('keeps the last good rows, marks them stale and says in plain words that Redis is unreachable', async () => {
    const { box, term } = ctx;
    const redis = await startRedis();
    try {
      const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.yaml'), ['profiles:', '  o:', '    registry: {type: embedded}', `    locks: [{type: redis, name: cache, url: "${redis.url}", connectTimeoutMs: 500}]`, 'defaultProfile: o', ''].join('\n'));
      const held = opsdeck(box.env, ['locks', 'acquire', 'deploy/orders', '--owner', 'reindexer-0@10.0.3.11', '--ttl', '10m']);
      expect(held.code, held.stderr).toBe(0);
      startConsoleIn(term, box.env, '--refresh 1s');
      await term.waitFor(/^o›/m);
      term.keys('Escape');
      await term.waitFor(/\(pane focus\)/);
      term.type('3');
      // The KIND column of `locks list` may sit between the lock and its holder (the pane shows the CLI columns).
      await term.waitFor(/deploy\/orders\s+(?:\S+\s+)?reindexer-0@10\.0\.3\.11/);

      await redis.stop();
      const down = await term.waitFor(/stale\)\s+✗ .*unreachable/, 90_000);
      // The row is still there, with its holder; the error is not in any row.
      expect(down).toMatch(/deploy\/orders\s+(?:\S+\s+)?reindexer-0@10\.0\.3\.11/);
      expect(down).toMatch(/redis redis:\/\/127\.0\.0\.1:\d+ is unreachable \((connection refused|not connected|gave up after retries)\)/);
      expect(down).not.toMatch(/Stream isn't writeable|enableOfflineQueue/);
      const header = down.split('\n').find((l) => /BACKEND\s+LOCK\s+(?:KIND\s+)?HOLDER/.test(l))!;
      // HOLDER is as wide as the holder id, not as the error message.
      expect(header.indexOf('TOKEN') - header.indexOf('HOLDER')).toBeLessThan('reindexer-0@10.0.3.11'.length + 4);
      term.type(':');
      term.keys('C-d');
      await term.waitFor(/EXITED:\d+/);
    } finally {
      await redis.stop();
    }
  }, 240_000);
});
