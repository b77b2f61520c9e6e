// A writer process for the lock-free read test: commits `count` transactions to the embedded store
// in DIR, each setting pair/a and pair/b to the same number and rewriting a few padded keys, with a
// small compaction threshold so that it replaces the snapshot and the log over and over.
// Usage (bundled by the test): node store-writer.mjs DIR COUNT COMPACT_BYTES
import { KvStore } from '../../src/engine/store/kv-store.js';

const [dir, count, compactBytes] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const store = KvStore.open(dir, { compactBytes });
for (let i = 1; i <= count; i++) {
  await store.update((tx) => {
    tx.put('pair/a', i);
    tx.put(`fill/${i % 40}`, { i, pad: 'p'.repeat(120) });
    tx.put('pair/b', i);
  });
}
store.close();
process.stdout.write('done\n');
