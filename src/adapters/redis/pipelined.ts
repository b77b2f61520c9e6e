import { ReplyError, type ChainableCommander, type Redis } from 'ioredis';

/**
 * Replies that mean "the whole server cannot answer" rather than "this one command has no
 * answer": they must fail the command (auth, loading, a down cluster), not read as unknown facts.
 */
const FATAL = /^(NOAUTH|WRONGPASS|LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN)\b/;

/**
 * Runs the commands `build` queues in one round trip. A command the server rejects comes back as
 * its Error in that slot, so one refused or vanished key does not lose the batch; a lost
 * connection or a server-wide refusal throws.
 */
export async function pipelined(node: Redis, build: (p: ChainableCommander) => void): Promise<unknown[]> {
  const p = node.pipeline();
  build(p);
  if (p.length === 0) return [];
  const replies = (await p.exec()) ?? [];
  return replies.map(([err, value]) => {
    if (err === null) return value;
    if (!(err instanceof ReplyError) || FATAL.test(err.message)) throw err;
    return err;
  });
}

/** The server does not allow or know the command (ACL, a proxy, a managed service): the fact is unknown. */
export function isRefusal(e: unknown): e is Error {
  return e instanceof Error && /^(NOPERM|ERR unknown (sub)?command)/i.test(e.message);
}
