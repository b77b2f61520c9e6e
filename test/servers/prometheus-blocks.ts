import { startPrometheusOnOpenMetrics, type BlocksPrometheus } from './prometheus-on-data.js';
import { sharedServer } from './shared-server.js';

/** One Prometheus per key for the whole vitest run (see shared-server.ts), on the given data. */
export function sharedPrometheusOnOpenMetrics(key: string, openMetrics: () => string): Promise<BlocksPrometheus> {
  return sharedServer(key, 'Prometheus on fixed data', async ({ dir, ownerPid }) => {
    const { url, pid, readySeconds } = await startPrometheusOnOpenMetrics(openMetrics(), dir, ownerPid);
    return { url, pid, readySeconds };
  });
}
