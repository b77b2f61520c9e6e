import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsdeck, sandbox, writeProfileFile } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../servers/redis-server.js';

/**
 * The Redis `db` option against a real redis-server, through the binary: 0 is Redis's default
 * database and must be accepted (it was refused as "not a positive number"), a number selects that
 * database, and leaving it out keeps the database named in the URL.
 */
describe('redis db option', () => {
  let server: RedisServer;
  let box: ReturnType<typeof sandbox>;
  const dbs: Redis[] = [];

  beforeAll(async () => {
    server = await startRedis();
    for (let n = 0; n < 3; n++) dbs.push(new Redis({ port: server.port, host: '127.0.0.1', db: n }));
    box = sandbox();
    writeProfileFile(
      box.env,
      [
        'profiles:',
        `  zero: {locks: [{type: redis, url: "${server.url}", db: 0}], cache: {type: redis, url: "${server.url}", db: 0}}`,
        `  one: {locks: [{type: redis, url: "${server.url}", db: 1}]}`,
        `  inurl: {locks: [{type: redis, url: "${server.url}/2"}]}`,
        '',
      ].join('\n'),
    );
  }, 30_000);
  afterAll(async () => {
    dbs.forEach((d) => d.disconnect());
    box?.cleanup();
    await server?.stop();
  });

  const where = async (key: string) => (await Promise.all(dbs.map((d) => d.exists(key)))).flatMap((n, i) => (n === 1 ? [i] : []));

  it('db: 0 loads and reaches database 0', async () => {
    const r = opsdeck(box.env, ['--profile', 'zero', 'locks', 'acquire', 'deploy/zero', '--ttl', '30s', '--owner', 'alice']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await where('deploy/zero')).toEqual([0]);
    const stats = opsdeck(box.env, ['--profile', 'zero', 'cache', 'stats', '-o', 'json']);
    expect(stats.code).toBe(0);
  });

  it('db: 1 selects database 1', async () => {
    expect(opsdeck(box.env, ['--profile', 'one', 'locks', 'acquire', 'deploy/one', '--ttl', '30s', '--owner', 'alice']).code).toBe(0);
    expect(await where('deploy/one')).toEqual([1]);
  });

  it('without db, the database in the URL is used', async () => {
    expect(opsdeck(box.env, ['--profile', 'inurl', 'locks', 'acquire', 'deploy/url', '--ttl', '30s', '--owner', 'alice']).code).toBe(0);
    expect(await where('deploy/url')).toEqual([2]);
  });
});
