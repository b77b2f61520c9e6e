import { OpsError } from '../../core/errors.js';
import type { ImportSummary } from '../../core/metrics.js';
import type { MetricsDb } from './durable-metrics.js';
import { ExpositionError, parseExposition, type ParsedSample } from './exposition-parser.js';
import { labelsKey } from './series-store.js';

/**
 * `metrics import`: a text-format or OpenMetrics dump (an incident snapshot, `promtool tsdb dump`
 * output turned into OpenMetrics) into the store. Samples without a timestamp get the import
 * time. Each series' samples are sorted first, so a dump in any order loads whole; a second value
 * at a time already stored is refused, as Prometheus refuses it.
 */
export async function importDump(db: MetricsDb, text: string, source: string): Promise<ImportSummary> {
  let parsed;
  try {
    parsed = parseExposition(text);
  } catch (e) {
    if (e instanceof ExpositionError) throw new OpsError('usage', `${source}: ${e.message}`, 'the file must be in the Prometheus text format or OpenMetrics (ending with # EOF)');
    throw e;
  }
  const wasWriter = db.isWriter;
  await db.requireWriter('metrics import');
  const now = Date.now();
  const bySeries = new Map<string, ParsedSample[]>();
  for (const s of parsed.samples) {
    const key = labelsKey(s.labels);
    const list = bySeries.get(key);
    if (list) list.push(s);
    else bySeries.set(key, [s]);
  }
  let samples = 0;
  let rejected = 0;
  let untimed = 0;
  let minT = Infinity;
  let maxT = -Infinity;
  try {
    for (const [family, meta] of parsed.metadata) db.setMetadata(family, meta);
    for (const list of bySeries.values()) {
      const series = db.mem.getOrCreate(list[0]!.labels);
      const timed = list.map((s) => {
        if (s.timestampMs === undefined) untimed++;
        return { t: s.timestampMs ?? now, v: s.value };
      });
      timed.sort((a, b) => a.t - b.t);
      for (const { t, v } of timed) {
        if (db.mem.appendTo(series, t, v)) {
          samples++;
          if (t < minT) minT = t;
          if (t > maxT) maxT = t;
        } else rejected++;
      }
    }
    db.flush();
  } finally {
    if (!wasWriter) db.close();
  }
  const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : null);
  return { source, format: parsed.format, samples, rejected, untimed, series: bySeries.size, minTime: iso(minT), maxTime: iso(maxT) };
}
