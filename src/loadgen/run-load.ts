import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { usage } from '../core/errors.js';
import type { LoadPlan, LoadProgress, LoadResult, RunLoadOptions, TargetResult } from './load-types.js';
import { addLoadErrors, noLoadErrors } from './load-errors.js';
import { LatencyStats } from './latency-stats.js';
import { requestBytes } from './request-bytes.js';
import { splitPlan } from './split-plan.js';
import { workerEntry } from './worker-entry.js';
import type { FromWorker, ToWorker, WireTarget, WorkerTarget } from './worker-messages.js';

/**
 * Runs a load: worker threads each drive their share of the connections on their own event loop,
 * this thread only starts them, merges their once-a-second reports into progress and their final
 * histograms into the result. An abort stops the workers and returns what they measured so far.
 */
export async function runLoad(plan: LoadPlan, opts: RunLoadOptions = {}): Promise<LoadResult> {
  checkPlan(plan);
  const targets = await Promise.all(plan.targets.map((t) => workerTarget(t.url, plan)));
  const plans = splitPlan(plan, targets, opts.onProgress !== undefined);
  const entry = await workerEntry();
  // V8's memory reducer sees a lightly loaded worker as idle and runs full collections on it,
  // 5-20 ms each, all workers at once: in constant-rate mode every request due in that pause is
  // charged the pause. The flag is read when an isolate's heap is set up, so it is off only while
  // the workers start; this thread keeps its reducer.
  setFlagsFromString('--no-memory-reducer');
  const workers = plans.map((p) => new Worker(entry, { workerData: p }));
  try {
    return await drive(plan, workers, opts);
  } finally {
    setFlagsFromString('--memory-reducer');
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function checkPlan(plan: LoadPlan): void {
  if (plan.targets.length === 0) throw usage('no target to load', 'give a URL or a service with instances');
  if (!Number.isInteger(plan.connections) || plan.connections < 1) throw usage(`connections must be a whole number ≥ 1, not ${plan.connections}`);
  if (plan.connections < plan.targets.length) throw usage(`${plan.connections} connections cannot reach ${plan.targets.length} targets`, `use at least ${plan.targets.length} connections`);
  if (!Number.isInteger(plan.workers) || plan.workers < 1) throw usage(`workers must be a whole number ≥ 1, not ${plan.workers}`);
  if (!(plan.timeoutMs > 0)) throw usage(`the timeout must be positive, not ${plan.timeoutMs} ms`);
  if (plan.durationMs === undefined && plan.requests === undefined) throw usage('a load needs a duration or a request count', 'give -d 10s or -n 10000');
  if (plan.durationMs !== undefined && !(plan.durationMs > 0)) throw usage(`the duration must be positive, not ${plan.durationMs} ms`);
  if (plan.requests !== undefined && !(Number.isInteger(plan.requests) && plan.requests >= 0)) throw usage(`the request count must be a whole number, not ${plan.requests}`);
  if (plan.rate !== undefined && !(plan.rate > 0)) throw usage(`the rate must be positive, not ${plan.rate}`);
  if (plan.pipelining !== undefined && !(Number.isInteger(plan.pipelining) && plan.pipelining >= 1)) throw usage(`pipelining must be a whole number ≥ 1, not ${plan.pipelining}`);
}

async function workerTarget(raw: string, plan: LoadPlan): Promise<WorkerTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usage(`"${raw}" is not a URL`, 'give one like http://host:8080/path');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usage(`${raw}: only http and https can be loaded`, 'give an http:// or https:// URL');
  const tls = url.protocol === 'https:';
  const name = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // Resolved once here: a worker dialling by name would ask the resolver on every reconnect.
  const host = isIP(name) ? name : await lookup(name).then((a) => a.address, () => name);
  return {
    host,
    port: url.port ? Number(url.port) : tls ? 443 : 80,
    tls,
    servername: name,
    request: requestBytes(url, plan.method, plan.headers, plan.body, plan.keepAlive),
    headRequest: plan.method.toUpperCase() === 'HEAD',
  };
}

function drive(plan: LoadPlan, workers: Worker[], opts: RunLoadOptions): Promise<LoadResult> {
  return new Promise<LoadResult>((resolve, reject) => {
    const send = (m: ToWorker) => workers.forEach((w) => w.postMessage(m));
    const done: { elapsedMs: number; targets: WireTarget[] }[] = [];
    let ready = 0;
    let startedAt = new Date();
    let started = 0;
    let interrupted = false;
    let settled = false;
    let backstop: NodeJS.Timeout | undefined;
    // Progress: report second n once every worker has sent its report n.
    const pending = new Map<number, { workers: number; requests: number; errors: number; latency: LatencyStats }>();
    // Workers report each second's counts; the report carries the run's totals so far, as its readers print them.
    const sofar = { requests: 0, errors: 0 };

    const onAbort = () => {
      interrupted = true;
      send({ type: 'stop' });
    };
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(backstop);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(e instanceof Error ? e : new Error(String(e)));
    };

    workers.forEach((w) => {
      w.on('error', fail);
      w.on('exit', (code) => {
        if (!settled && done.length < workers.length) fail(new Error(`a load worker exited (code ${code}) before reporting`));
      });
      w.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          if (++ready < workers.length) return;
          setFlagsFromString('--memory-reducer');
          startedAt = new Date();
          started = performance.now();
          if (opts.signal?.aborted) interrupted = true;
          opts.signal?.addEventListener('abort', onAbort, { once: true });
          send({ type: interrupted ? 'stop' : 'go' });
          // Workers stop themselves on time; this is the backstop if one is stuck.
          if (plan.durationMs !== undefined) backstop = setTimeout(() => send({ type: 'stop' }), plan.durationMs + 5000);
        } else if (m.type === 'progress') {
          if (!opts.onProgress) return;
          const p = pending.get(m.seq) ?? { workers: 0, requests: 0, errors: 0, latency: new LatencyStats() };
          p.workers++;
          p.requests += m.requests;
          p.errors += m.errors;
          p.latency.add(m.latency);
          pending.set(m.seq, p);
          if (p.workers === workers.length) {
            pending.delete(m.seq);
            const snap = p.latency.snapshot();
            sofar.requests += p.requests;
            sofar.errors += p.errors;
            const progress: LoadProgress = { elapsedMs: m.seq * 1000, requests: sofar.requests, requestsPerSec: p.requests, p50: snap.percentiles['50']!, p99: snap.percentiles['99']!, errors: sofar.errors };
            try {
              opts.onProgress(progress);
            } catch (e) {
              send({ type: 'stop' });
              fail(e);
            }
          }
        } else if (m.type === 'done') {
          done.push(m);
          if (done.length < workers.length || settled) return;
          settled = true;
          clearTimeout(backstop);
          opts.signal?.removeEventListener('abort', onAbort);
          resolve(result(plan, done, startedAt, started > 0 ? Math.max(...done.map((d) => d.elapsedMs)) : 0, interrupted));
        }
      });
    });
  });
}

function result(plan: LoadPlan, done: { elapsedMs: number; targets: WireTarget[] }[], startedAt: Date, elapsedMs: number, interrupted: boolean): LoadResult {
  const all = new LatencyStats();
  const statuses: Record<string, number> = {};
  const errors = noLoadErrors();
  const perTarget: TargetResult[] = plan.targets.map((t, i) => {
    const lat = new LatencyStats();
    const row: TargetResult = { label: t.label ?? t.url, url: t.url, requests: 0, bytes: 0, statuses: {}, errors: noLoadErrors(), latency: lat.snapshot() };
    for (const d of done) {
      const w = d.targets[i]!;
      row.requests += w.requests;
      row.bytes += w.bytes;
      for (const [code, n] of Object.entries(w.statuses)) row.statuses[code] = (row.statuses[code] ?? 0) + n;
      addLoadErrors(row.errors, w.errors);
      lat.add(w.latency);
      all.add(w.latency);
    }
    row.latency = lat.snapshot();
    for (const [code, n] of Object.entries(row.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
    addLoadErrors(errors, row.errors);
    return row;
  });
  const requests = perTarget.reduce((n, r) => n + r.requests, 0);
  return {
    startedAt: startedAt.toISOString(),
    elapsedMs,
    requests,
    bytes: perTarget.reduce((n, r) => n + r.bytes, 0),
    requestsPerSec: elapsedMs > 0 ? requests / (elapsedMs / 1000) : 0,
    statuses,
    errors,
    latency: all.snapshot(),
    perTarget,
    rate: plan.rate ?? null,
    correctedForCoordinatedOmission: plan.rate !== undefined,
    interrupted,
    plan: {
      connections: plan.connections,
      workers: Math.min(plan.workers, plan.connections),
      durationMs: plan.durationMs ?? null,
      requests: plan.requests ?? null,
      method: plan.method,
      keepAlive: plan.keepAlive,
      pipelining: plan.pipelining ?? 1,
    },
  };
}
