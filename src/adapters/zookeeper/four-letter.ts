import { connect } from 'node:net';

/** The most a four-letter-word answer may be; `cons` on a busy server is long, but not this long. */
const MAX_BYTES = 1 << 20;

/**
 * Sends a four-letter word (`ruok`, `cons`, `srvr`) to a ZooKeeper server and returns the answer,
 * or null when the server cannot be reached in time. The server answers and closes.
 */
export function fourLetter(host: string, port: number, word: string, timeoutMs = 1500): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const socket = connect({ host, port }, () => socket.write(word));
    const done = (v: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_BYTES) return done(null);
      chunks.push(d);
    });
    socket.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', () => done(null));
  });
}

/** The server's refusal when a word is not in 4lw.commands.whitelist. */
export const notAllowed = (answer: string): boolean => /is not executed because it is not in the whitelist/.test(answer);

export interface ConsEntry {
  /** The client's address as the server sees it, host:port. */
  address: string;
  /** The session timeout the server granted. */
  timeoutMs: number | null;
}

/**
 * Parses `cons`: one line per connection, ` /127.0.0.1:46854[1](queued=1,...,sid=0x1000005a8b70000,...,to=5000,...)`.
 * Keys are session ids as ZooKeeper prints them (lower-case hex, `0x`, no leading zeros).
 */
export function parseCons(answer: string): Map<string, ConsEntry> {
  const out = new Map<string, ConsEntry>();
  for (const line of answer.split('\n')) {
    const m = /^\s*\/(\S+?)\[\d+\]\((.*)\)\s*$/.exec(line);
    if (!m) continue;
    const fields = new Map(m[2]!.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const));
    const sid = fields.get('sid');
    if (!sid || !/^0x[0-9a-f]+$/i.test(sid)) continue;
    const to = Number(fields.get('to'));
    out.set(`0x${BigInt(sid).toString(16)}`, { address: m[1]!, timeoutMs: Number.isFinite(to) ? to : null });
  }
  return out;
}

/** Version from `srvr`: "Zookeeper version: 3.8.0-..., built on ...". */
export const versionOf = (srvr: string): string | null => /^Zookeeper version: ([^,\s]+)/m.exec(srvr)?.[1] ?? null;
