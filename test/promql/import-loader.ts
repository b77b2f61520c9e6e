import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { forgetMetricsDb, metricsDbFor } from '../../src/engine/metrics/durable-metrics.js';
import { opsdeck, sandbox, writeProfileFile } from '../helpers/cli.js';
import type { LoadedSeries, SeriesLoader } from './dataset.js';

/**
 * The acceptance's path for opsdeck's side: the dataset's OpenMetrics text goes through the real
 * binary's `metrics import` into a fresh data dir, and the evaluator then reads that data dir's
 * store as a one-shot command does (a reader catching up from the files). The parser, the store,
 * the chunk encoding and the persistence all stand between the fixtures and the answers.
 */
const RETENTION_DAYS = 3650;

export const importLoader: SeriesLoader = {
  name: 'import',
  async load(data): Promise<LoadedSeries> {
    if (!existsSync(resolve(__dirname, '../../dist/main.js'))) throw new Error('the import loader runs bin/opsdeck.js: run "npm run build" first (or OPSDECK_PROMQL_LOADER=memory)');
    const box = sandbox();
    try {
      // Retention counts back from the newest sample; the fixtures span far less than this, so
      // nothing may be dropped (the sample count check in differential.test.ts holds us to it).
      writeProfileFile(
        box.env,
        ['profiles:', '  local:', `    metrics: {type: embedded, retention: ${RETENTION_DAYS * 24}h, retentionBytes: ${4 * 1024 ** 3}}`, 'defaultProfile: local'].join('\n') + '\n',
      );
      const file = join(box.dir, 'dataset.om');
      writeFileSync(file, data.openMetrics);
      const r = opsdeck(box.env, ['metrics', 'import', file, '-o', 'json']);
      if (r.code !== 0) throw new Error(`metrics import failed (exit ${r.code}): ${r.stderr}`);
      const summary = r.json<{ samples: number; rejected: number }>();
      const dataDir = box.env.OPSDECK_DATA_DIR!;
      const db = metricsDbFor(dataDir, { retention: { timeMs: RETENTION_DAYS * 86_400_000, bytes: 4 * 1024 ** 3 } });
      db.refresh();
      if (db.problems.length > 0) throw new Error(`reading the imported store: ${db.problems.join('; ')}`);
      const store = db.mem;
      // The store is all in memory once read; the data dir can go.
      forgetMetricsDb(dataDir);
      return { source: store, samples: store.stats().samples, note: `imported ${summary.samples} samples, ${summary.rejected} rejected` };
    } finally {
      box.cleanup();
    }
  },
};
