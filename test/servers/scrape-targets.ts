import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Small /metrics endpoints for a real Prometheus to scrape, in a process of their own (a test that
 * blocks its event loop must not make a scrape time out, which Prometheus records as up == 0).
 * Each endpoint answers with the status it was given: 200 with one gauge (up == 1 in Prometheus),
 * or 500 (up == 0). Ports are picked by the kernel and reported back.
 */
export interface ScrapeTargets {
  /** `127.0.0.1:port` of each endpoint, in the order of the statuses given. */
  addresses: string[];
  ports: number[];
  stop(): void;
}

export async function startScrapeTargets(statuses: ReadonlyArray<200 | 500>): Promise<ScrapeTargets> {
  const child: ChildProcess = spawn(process.execPath, ['-e', TARGETS, JSON.stringify(statuses)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ports = await new Promise<number[]>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as number[]);
    });
    child.once('exit', (c) => reject(new Error(`the scrape targets exited with ${c}`)));
  });
  return { ports, addresses: ports.map((p) => `127.0.0.1:${p}`), stop: () => void child.kill('SIGTERM') };
}

const TARGETS = `
const http = require('node:http');
const statuses = JSON.parse(process.argv[1]);
Promise.all(statuses.map((status) => new Promise((resolve) => {
  const server = http.createServer((req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(status === 200 ? '# TYPE opsdeck_drift_target gauge\\nopsdeck_drift_target 1\\n' : 'failing on purpose\\n');
  });
  server.listen(0, '127.0.0.1', () => resolve(server.address().port));
}))).then((ports) => console.log(JSON.stringify(ports)));
`;
