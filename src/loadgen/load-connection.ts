import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { socketErrorKind, type LoadErrorKind } from './load-errors.js';
import type { LatencyStats } from './latency-stats.js';
import { ResponseParser } from './response-parser.js';
import type { TargetStats } from './target-stats.js';
import type { WorkerTarget } from './worker-messages.js';

/** What a connection needs from the worker that owns it. */
export interface ConnectionOwner {
  readonly stopped: boolean;
  /** One read buffer per worker: reads are handled one at a time, so sockets can share it. */
  readonly readBuffer: Buffer;
  /** This second's latencies, for progress (null when nobody listens). */
  readonly interval: LatencyStats | null;
  /** How many more requests may go out now (the worker's share of a request count). */
  allowance(): number;
  sent(n: number): void;
  answered(): void;
  /** Requests that were sent but will get no answer (their connection closed). */
  lost(n: number): void;
}

export interface ConnectionOptions {
  pipelining: number;
  keepAlive: boolean;
  timeoutMs: number;
  /** Time between intended sends (constant-rate mode), or null to send as fast as answers come. */
  intervalMs: number | null;
  phaseMs: number;
  durationMs: number | null;
}

/**
 * One keep-alive connection on a raw socket: it writes prebuilt request bytes and counts the
 * answers with a minimal parser. A closed connection is reopened; errors are counted by where they
 * happened (connect, read, write, timeout), apart from status codes.
 */
export class LoadConnection {
  everConnected = false;
  private socket: Socket | null = null;
  private connected = false;
  private connectingSince = 0;
  private connectFailures = 0;
  private failure: LoadErrorKind | null = null;
  private closeAfter = false;
  private inflight = 0;
  /** Ring of in-flight requests, oldest at `head`: latency origin and actual send time. */
  private head = 0;
  private readonly origins: Float64Array;
  private readonly sentAt: Float64Array;
  /** The request repeated n times, for n = 1…pipelining, so a batch is one write. */
  private readonly batches: Buffer[];
  private readonly parser: ResponseParser;
  private readonly depth: number;
  private timer: NodeJS.Timeout | null = null;
  /** Constant-rate mode: the intended send time of the next request. */
  private next = 0;
  /** When the connection last had room to send; a request due before then waited for the server. */
  private freeSince = 0;
  /** Constant-rate mode: when request 0 is due, and how many requests the schedule has sent. */
  private first = 0;
  private due = 0;
  /**
   * Constant-rate mode: how many requests fall due before the end (one due at or after it is not
   * part of the schedule). Counted once, up front: adding the interval up request by request
   * drifts by a few ulps, enough to let one more request in when one falls due exactly at the end.
   */
  private scheduled = Infinity;
  private now = 0;
  private started = false;
  private settled: (() => void) | null = null;

  constructor(
    private readonly owner: ConnectionOwner,
    private readonly target: WorkerTarget,
    private readonly stats: TargetStats,
    private readonly opts: ConnectionOptions,
  ) {
    // Without keep-alive every request has its own connection, so there is nothing to pipeline on.
    this.depth = opts.keepAlive ? Math.max(1, opts.pipelining) : 1;
    this.origins = new Float64Array(this.depth);
    this.sentAt = new Float64Array(this.depth);
    const one = Buffer.from(target.request);
    this.batches = [Buffer.alloc(0)];
    for (let n = 1; n <= this.depth; n++) this.batches.push(n === 1 ? one : Buffer.concat(Array(n).fill(one)));
    this.parser = new ResponseParser(this.onResponse, target.headRequest);
  }

  /**
   * Dials before the clock starts, as wrk does: otherwise the first request of every connection
   * would carry the connect and, in constant-rate mode, be charged from when it was due, which
   * puts the handshakes into the run's p99.9. `settled` is called once, at the first connect or
   * the first failure.
   */
  open(settled: () => void): void {
    this.settled = settled;
    this.connect();
  }

  start(t0: number): void {
    const { intervalMs, phaseMs, durationMs } = this.opts;
    this.first = t0 + phaseMs;
    this.next = this.first;
    this.due = 0;
    // 1e-9 of an interval absorbs the rounding of the division when the last one lands on the end.
    if (intervalMs !== null && durationMs !== null) this.scheduled = Math.max(0, Math.ceil((durationMs - phaseMs) / intervalMs - 1e-9));
    this.started = true;
    this.pump();
  }

  private settle(): void {
    const settled = this.settled;
    this.settled = null;
    settled?.();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.connected = false;
    this.socket?.destroy();
    this.socket = null;
  }

  /** Called by the worker a few times a second: gives up on a connect or an answer that takes too long. */
  checkTimeout(now: number): void {
    if (!this.socket) return;
    if (!this.connected) {
      if (now - this.connectingSince > this.opts.timeoutMs) this.drop('connect');
    } else if (this.inflight > 0 && now - this.sentAt[this.head]! > this.opts.timeoutMs) this.drop('timeout');
  }

  private connect(): void {
    if (this.owner.stopped) return;
    const { host, port } = this.target;
    this.connectingSince = performance.now();
    let s: Socket;
    if (this.target.tls) {
      s = tlsConnect({ host, port, servername: this.target.servername, ALPNProtocols: ['http/1.1'] });
      s.setNoDelay(true);
      s.on('data', (b: Buffer) => this.onRead(b.length, b));
      s.on('secureConnect', this.onConnect);
    } else {
      // onread reads into the worker's one buffer: no Buffer is allocated per read.
      s = netConnect({ host, port, noDelay: true, onread: { buffer: this.owner.readBuffer, callback: (n) => (this.onRead(n, this.owner.readBuffer), true) } });
      s.on('connect', this.onConnect);
    }
    s.on('error', this.onError);
    s.on('close', () => this.onClose(s));
    this.socket = s;
  }

  private readonly onConnect = (): void => {
    this.connected = true;
    this.everConnected = true;
    this.connectFailures = 0;
    this.freeSince = performance.now();
    this.settle();
    this.pump();
  };

  private readonly onError = (err: NodeJS.ErrnoException): void => {
    this.failure ??= socketErrorKind(err, this.connected);
  };

  private onClose(s: Socket): void {
    if (this.socket !== s) return; // stopped, or already replaced
    this.socket = null;
    this.connected = false;
    this.settle();
    if (this.owner.stopped) return;
    if (this.inflight > 0 && this.parser.endsAtClose) {
      this.now = performance.now();
      this.parser.finish();
    }
    this.parser.reset();
    this.closeAfter = false;
    const lost = this.inflight;
    this.inflight = 0;
    this.head = 0;
    if (lost > 0) this.owner.lost(lost);
    const failure = this.failure;
    this.failure = null;
    if (failure) this.stats.errors[failure] += Math.max(lost, 1);
    else if (lost > 0) this.stats.errors.read += lost; // the server closed with answers owed
    if (failure === 'connect') {
      // Refused or unreachable: retry, backing off so a dead target does not spin the loop.
      this.connectFailures++;
      setTimeout(() => this.connect(), Math.min(1000, 10 * 2 ** this.connectFailures)).unref();
    } else setImmediate(() => this.connect());
  }

  private drop(kind: LoadErrorKind): void {
    this.failure ??= kind;
    this.connected = false;
    this.socket?.destroy();
  }

  private onRead(n: number, buf: Buffer): void {
    this.now = performance.now();
    this.stats.bytes += n;
    const bad = this.parser.feed(buf, 0, n);
    if (bad !== null) return this.drop('other');
    if (this.closeAfter) {
      // The server said it closes (or we asked it to): what was pipelined behind is not answered.
      this.closeAfter = false;
      if (this.inflight > 0) this.owner.lost(this.inflight);
      this.inflight = 0;
      this.connected = false;
      this.socket?.destroy();
      return;
    }
    this.pump();
  }

  private readonly onResponse = (status: number, close: boolean): void => {
    if (this.inflight === 0) return; // an answer nobody asked for
    const i = this.head;
    this.head = i + 1 === this.depth ? 0 : i + 1;
    if (this.inflight === this.depth) this.freeSince = this.now;
    this.inflight--;
    const us = (this.now - this.origins[i]!) * 1000;
    const stats = this.stats;
    stats.requests++;
    stats.statuses[status]!++;
    stats.latency.record(us);
    this.owner.interval?.record(us);
    this.owner.answered();
    if (close || !this.opts.keepAlive) this.closeAfter = true;
  };

  private readonly onTimer = (): void => {
    this.timer = null;
    this.pump();
  };

  /** Sends what may go now: as much as the connection holds, or (with a rate) what is due. */
  private pump(): void {
    if (!this.started || !this.connected || this.owner.stopped) return;
    let room = this.depth - this.inflight;
    if (room <= 0) return;
    room = Math.min(room, this.owner.allowance());
    if (room <= 0) return;
    const now = performance.now();
    const interval = this.opts.intervalMs;
    let n = 0;
    let at = this.head + this.inflight;
    if (interval === null) {
      for (; n < room; n++, at++) {
        const k = at % this.depth;
        this.origins[k] = now;
        this.sentAt[k] = now;
      }
    } else {
      for (; n < room && this.next <= now && this.due < this.scheduled; n++, at++) {
        const k = at % this.depth;
        // Coordinated-omission correction: a request that came due while the connection was busy
        // waited for the server, so its latency runs from when it was due. One that came due on an
        // idle connection only waited for our timer (a millisecond's slack), so it runs from now.
        this.origins[k] = this.freeSince > this.next ? this.next : now;
        this.sentAt[k] = now;
        this.due++;
        this.next = this.first + this.due * interval;
      }
      if (n < room && this.timer === null && this.due < this.scheduled) this.timer = setTimeout(this.onTimer, this.next - now);
    }
    if (n === 0) return;
    this.inflight += n;
    this.owner.sent(n);
    this.socket!.write(this.batches[n]!);
  }
}
