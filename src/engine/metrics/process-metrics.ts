import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { MetricsDb } from './durable-metrics.js';

/**
 * opsdeck's own process metrics in the text format, scraped like any target (job "opsdeck"),
 * with the names Prometheus client libraries use, plus the store's own size.
 */
let loopDelay: IntervalHistogram | null = null;

export function processMetricsText(db: MetricsDb): string {
  if (!loopDelay) {
    loopDelay = monitorEventLoopDelay({ resolution: 20 });
    loopDelay.enable();
  }
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  const stats = db.mem.stats();
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, value: number) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
  metric('process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.', (cpu.user + cpu.system) / 1e6);
  metric('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', mem.rss);
  metric('process_start_time_seconds', 'gauge', 'Start time of the process since unix epoch in seconds.', Math.round(Date.now() / 1000 - process.uptime()));
  metric('nodejs_heap_size_used_bytes', 'gauge', 'Process heap size used from Node.js in bytes.', mem.heapUsed);
  metric('nodejs_heap_size_total_bytes', 'gauge', 'Process heap size from Node.js in bytes.', mem.heapTotal);
  metric('nodejs_eventloop_lag_p99_seconds', 'gauge', 'The 99th percentile of the event loop delay.', loopDelay.percentile(99) / 1e9);
  metric('opsdeck_metrics_series', 'gauge', 'Series in the embedded metrics store.', stats.series);
  metric('opsdeck_metrics_samples', 'gauge', 'Samples in the embedded metrics store.', stats.samples);
  metric('opsdeck_metrics_memory_bytes', 'gauge', 'Estimated memory the embedded metrics store holds.', stats.bytes);
  return lines.join('\n') + '\n';
}
