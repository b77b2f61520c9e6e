import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchDetached, pollUntil } from './detached.js';
import { freePort } from './redis-server.js';

/**
 * A real Prometheus (Debian's 2.42) serving fixed data and scraping nothing: the OpenMetrics text
 * is turned into TSDB blocks by `promtool tsdb create-blocks-from openmetrics`, and Prometheus
 * starts on that data dir. Blocks hold data older than the head, so the data may lie anywhere in
 * the past (the differential fixtures start at the epoch); retention is set far out so nothing is
 * dropped. Missing binaries: the start fails (CI installs them, see scripts/test-tools.mjs).
 */
export interface BlocksPrometheus {
  url: string;
  pid: number;
  readySeconds: number;
}

export async function startPrometheusOnOpenMetrics(openMetrics: string, dir: string, ownerPid?: number): Promise<BlocksPrometheus & { stop(): Promise<void> }> {
  const began = Date.now();
  mkdirSync(dir, { recursive: true });
  const input = join(dir, 'data.om');
  writeFileSync(input, openMetrics);
  const data = join(dir, 'data');
  try {
    execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', input, data], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { code?: string; stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error('promtool is not installed (apt-get install prometheus); the PromQL differential tests need it');
    throw new Error(`promtool could not build blocks: ${String(err.stderr ?? e).slice(-800)}`);
  }
  writeFileSync(join(dir, 'prometheus.yml'), 'global: {}\n');
  const port = await freePort();
  const proc = launchDetached({
    label: 'Prometheus (fixed data)',
    dir,
    cmd: 'prometheus',
    args: [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${data}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${port}`],
    marker: data,
    ownerPid,
  });
  const url = `http://127.0.0.1:${port}`;
  const ready = await pollUntil(60_000, () => proc.exited(), async () => {
    try {
      return (await fetch(`${url}/-/ready`)).status === 200;
    } catch {
      return false;
    }
  });
  if (!ready) {
    const tail = proc.logTail(20);
    await proc.stop();
    throw new Error(`prometheus did not become ready: ${tail}`);
  }
  return { url, pid: proc.pid, readySeconds: (Date.now() - began) / 1000, stop: () => proc.stop() };
}
