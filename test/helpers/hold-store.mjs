// Holds an embedded data dir's cross-process mutex until killed: every opsdeck write on that dir
// then waits and times out, exactly as when a real process hangs while holding the store (reads
// take no lock and go on).
// Usage: node hold-store.mjs DATA_DIR   (prints "held" once it holds the mutex)
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { createServer } from 'node:net';

const key = realpathSync(process.argv[2]);
const address = `\0opsdeck-store-${createHash('sha1').update(key).digest('hex').slice(0, 24)}`;
const server = createServer();
server.on('error', (e) => {
  process.stderr.write(`cannot hold ${key}: ${e.message}\n`);
  process.exit(1);
});
server.listen(address, () => process.stdout.write('held\n'));
