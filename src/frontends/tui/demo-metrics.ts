import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoInstance } from '../../commands/misc/demo-fleet.js';

/**
 * The demo fleet's metrics pages: one loopback HTTP server answering `/metrics/<service>/<ip:port>`
 * for every demo instance, in the Prometheus text format. Each instance serves requests at its
 * service's rate (a slow wave, so charts move), with a latency histogram, and errors that follow
 * the flapping gateway: while it misses its heartbeats its page is down (up = 0) and the other
 * gateways, taking its load, answer slower and fail more.
 */

/** The pane's queries in the demo (not saved: the demo's profile is throwaway). */
export const DEMO_QUERIES = [
  'sum by (service) (rate(http_requests_total[1m]))',
  'sum by (service) (rate(http_requests_total{code=~"5.."}[1m]))',
  'histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket[1m])))',
];

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const RATE: Record<string, number> = { gateway: 60, orders: 25, payments: 14, inventory: 18, notifications: 6, search: 9 };
const LATENCY: Record<string, number> = { gateway: 0.02, orders: 0.06, payments: 0.12, inventory: 0.04, notifications: 0.03, search: 0.08 };
const ERRORS: Record<string, number> = { gateway: 0.004, orders: 0.01, payments: 0.02, inventory: 0.005, notifications: 0.001, search: 0.003 };

interface Counters {
  last: number;
  ok: number;
  errors: number;
  posts: number;
  buckets: number[];
  sum: number;
  count: number;
}

export interface DemoMetricsState {
  /** True while this instance misses its heartbeats (its page answers 503). */
  isDown(inst: DemoInstance): boolean;
  /** True while some gateway is down: the others take its load. */
  degraded(): boolean;
}

export class DemoMetrics {
  private server: Server | null = null;
  private port = 0;
  private readonly counters = new Map<string, Counters>();
  private readonly byPath = new Map<string, DemoInstance>();

  constructor(instances: readonly DemoInstance[], private readonly state: DemoMetricsState, private readonly now: () => number = Date.now) {
    for (const i of instances) this.byPath.set(pathOf(i), i);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const inst = this.byPath.get(req.url ?? '');
      if (!inst) return void res.writeHead(404).end();
      if (this.state.isDown(inst)) return void res.writeHead(503).end('down\n');
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.page(inst));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.server.unref();
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The metadata that makes the scraper collect this instance from the demo's server. */
  metadataOf(inst: DemoInstance): Record<string, string> {
    return { 'metrics.host': '127.0.0.1', 'metrics.port': String(this.port), 'metrics.path': pathOf(inst) };
  }

  stop(): void {
    this.server?.close();
    this.server = null;
  }

  /** Counters advanced by the time since the last scrape, at the instance's current rate. */
  page(inst: DemoInstance): string {
    const key = pathOf(inst);
    const now = this.now();
    let c = this.counters.get(key);
    if (!c) this.counters.set(key, (c = { last: now, ok: 0, errors: 0, posts: 0, buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    const dt = Math.max(0, (now - c.last) / 1000);
    c.last = now;
    const phase = (hash(key) % 1000) / 1000;
    const wave = 1 + 0.35 * Math.sin((now / 90_000 + phase) * 2 * Math.PI);
    const strain = inst.service === 'gateway' && this.state.degraded() ? 1.5 : 1;
    const n = (RATE[inst.service] ?? 5) * inst.weight * wave * strain * dt;
    const errorShare = (ERRORS[inst.service] ?? 0.005) * (strain > 1 ? 12 : 1);
    c.errors += n * errorShare;
    c.ok += n * (1 - errorShare) * 0.7;
    c.posts += n * (1 - errorShare) * 0.3;
    const mean = (LATENCY[inst.service] ?? 0.05) * (strain > 1 ? 3 : 1) * (1 + 0.2 * Math.sin(now / 45_000 + phase * 6));
    // Exponentially distributed latencies: the share under le is 1 - e^(-le/mean).
    BUCKETS.forEach((le, i) => (c!.buckets[i]! += n * (1 - Math.exp(-le / mean))));
    c.count += n;
    c.sum += n * mean;
    const labels = `service="${inst.service}"`;
    const f = (x: number) => String(Math.floor(x));
    return [
      '# HELP http_requests_total Requests served.',
      '# TYPE http_requests_total counter',
      `http_requests_total{${labels},method="GET",code="200"} ${f(c.ok)}`,
      `http_requests_total{${labels},method="POST",code="200"} ${f(c.posts)}`,
      `http_requests_total{${labels},method="GET",code="500"} ${f(c.errors)}`,
      '# HELP http_request_duration_seconds Request latency.',
      '# TYPE http_request_duration_seconds histogram',
      ...BUCKETS.map((le, i) => `http_request_duration_seconds_bucket{${labels},le="${le}"} ${f(c!.buckets[i]!)}`),
      `http_request_duration_seconds_bucket{${labels},le="+Inf"} ${f(c.count)}`,
      `http_request_duration_seconds_sum{${labels}} ${c.sum.toFixed(3)}`,
      `http_request_duration_seconds_count{${labels}} ${f(c.count)}`,
      '# TYPE inflight_requests gauge',
      `inflight_requests{${labels}} ${Math.round((RATE[inst.service] ?? 5) * wave * strain * mean * 10)}`,
      '',
    ].join('\n');
  }
}

function pathOf(i: DemoInstance): string {
  return `/metrics/${i.namespace ?? 'default'}/${i.service}/${i.ip}:${i.port}`;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}
