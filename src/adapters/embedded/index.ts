import type { MetricsBackend } from '../../core/metrics.js';
import type { Adapter } from '../../core/subsystems.js';
import { Engine } from '../../engine/engine.js';
import type { AdapterContext } from '../types.js';
import { EMBEDDED_OPTIONS } from './options.js';

/** The embedded adapter: opens the in-process engine on the profile's data dir. */
export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  if (ctx.subsystem === 'metrics') return connectMetrics(options, ctx);
  const engine = Engine.open(ctx.dataDir);
  return {
    type: 'embedded',
    registry: engine.registry,
    config: engine.config,
    locks: engine.locks,
    async ping() {
      await engine.store.read(() => undefined);
      return { version: `embedded ${ctx.version}` };
    },
    async dispose() {
      engine.close();
    },
  };
}

/**
 * The metrics store and evaluator load only here, when a command or pane asks for metrics, so
 * no other command pays for them at start-up.
 */
async function connectMetrics(options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  const o = EMBEDDED_OPTIONS.read(options, { type: 'embedded' });
  const { embeddedMetrics } = await import('../../engine/metrics/embedded-metrics.js');
  const metrics: MetricsBackend = embeddedMetrics({
    name: ctx.name,
    dataDir: ctx.dataDir,
    version: ctx.version,
    scrape: o.scrape ?? [],
    scrapeIntervalMs: o.scrapeInterval,
    retentionMs: o.retention,
    retentionBytes: o.retentionBytes,
    flushIntervalMs: o.flushInterval,
  });
  return {
    type: 'embedded',
    metrics,
    async ping() {
      await metrics.labels();
      return { version: `embedded ${ctx.version}` };
    },
    async dispose() {
      // The store stays open for the process: the console's collector and its panes share it.
    },
  };
}
