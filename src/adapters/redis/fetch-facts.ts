import type { KeyFacts } from './layouts.js';
import { companion } from './keys.js';
import type { RedisClient } from './client.js';

/** Reads one key and its Redisson companions in two pipelined round trips. */
export async function fetchFacts(client: RedisClient, name: string): Promise<KeyFacts> {
  const first = await client
    .pipeline()
    .type(name)
    .pttl(name)
    .lrange(companion.queue(name), 0, -1)
    .zrange(companion.timeout(name), 0, -1, 'WITHSCORES')
    .get(companion.token(name))
    .exists(companion.permitTimeout(name))
    .exec();
  const r = (i: number) => {
    const [err, value] = first![i]!;
    if (err) throw err;
    return value;
  };
  const type = r(0) as string;
  const facts: KeyFacts = { name, type, pttl: Number(r(1)) };
  const queue = r(2) as string[];
  if (queue.length > 0) {
    facts.queue = queue;
    const flat = r(3) as string[];
    facts.timeouts = {};
    for (let i = 0; i + 1 < flat.length; i += 2) facts.timeouts[flat[i]!] = Number(flat[i + 1]);
  }
  facts.token = r(4) as string | null;
  if (type === 'hash') facts.hash = await client.hgetall(name);
  else if (type === 'string') {
    facts.string = await client.get(name);
    if (Number(r(5)) === 1) {
      // Permit ids are raw bytes since Redisson 3.17: read them as buffers and show hex.
      const flat = await client.zrangeBuffer(companion.permitTimeout(name), 0, -1, 'WITHSCORES');
      facts.permitTimeouts = [];
      for (let i = 0; i + 1 < flat.length; i += 2) facts.permitTimeouts.push({ id: flat[i]!.toString('hex'), score: Number(flat[i + 1]!.toString()) });
    }
  }
  return facts;
}
