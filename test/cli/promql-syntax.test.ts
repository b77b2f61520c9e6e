import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsdeck, opsdeckAsync, sandbox } from '../helpers/cli.js';

let box: ReturnType<typeof sandbox>;
/** A TCP listener standing in for Prometheus: it only counts who connects. */
let listener: Server;
let connections = 0;

beforeAll(async () => {
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as { port: number }).port;
  box = sandbox();
  const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'config.yaml'),
    `profiles:\n  closed:\n    metrics: {type: prometheus, url: "http://127.0.0.1:1", timeoutMs: 2000}\n  listening:\n    metrics: {type: prometheus, url: "http://127.0.0.1:${port}", timeoutMs: 2000}\n`,
  );
});
afterAll(async () => {
  box?.cleanup();
  await new Promise((r) => listener?.close(r));
});

describe('PromQL syntax errors are caught before anything is sent', () => {
  it('metrics query with an unclosed call exits 2 with a caret under the spot, though the server is unreachable', () => {
    const r = opsdeck(box.env, ['--profile', 'closed', 'metrics', 'query', 'sum(rate(x[5m])']);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('opsdeck: invalid PromQL at column 16: the expression ends before the "(" at column 4 is closed');
    expect(lines[1]).toBe('  sum(rate(x[5m])');
    expect(lines[2]).toMatch(/^ {17}\^ \(hint: fix the expression; nothing was sent to the server\)$/);
    expect(r.stdout).toBe('');
  });

  it('the same server reachability gives exit 3 for a valid expression (the check above is not luck)', () => {
    expect(opsdeck(box.env, ['--profile', 'closed', 'metrics', 'query', 'sum(rate(x[5m]))']).code).toBe(3);
  });

  it('an expression past the nesting or length bound is refused with exit 2 naming the limit, before any parsing or connecting', async () => {
    const before = connections;
    const deep = await opsdeckAsync(box.env, ['--profile', 'listening', 'metrics', 'query', 'sum('.repeat(200) + 'up' + ')'.repeat(200), '-o', 'json']);
    expect(deep.code, deep.stderr).toBe(2);
    expect(deep.stderr.split('\n')[0]).toBe('opsdeck: invalid PromQL at column 516: brackets nest more than 128 levels deep here, the limit (hint: simplify the expression)');
    // Linux takes at most 128 KiB per argument, so the length bound is reached through a script.
    const long = await opsdeckAsync(box.env, ['--profile', 'listening', 'replay', '-'], `metrics query 'up{instance=~"${'h|'.repeat(140_000)}"}'\nexpect exit 2\nexpect stderr contains over the limit of 262144\n`);
    expect(long.code, long.stderr).toBe(0);
    expect(connections).toBe(before);
  });

  it('metrics range and metrics watch check every expression and never connect', async () => {
    const before = connections;
    const range = await opsdeckAsync(box.env, ['--profile', 'listening', 'metrics', 'range', 'x{job=a}', '--since', '1h']);
    expect(range.code, range.stderr).toBe(2);
    expect(range.stderr).toMatch(/column 7: unexpected "a": expected a quoted label value/);
    const watch = await opsdeckAsync(box.env, ['--profile', 'listening', 'metrics', 'watch', 'up', 'frobnicate(up)', '--count', '1', '-o', 'json']);
    expect(watch.code, watch.stderr).toBe(2);
    expect(watch.stderr).toMatch(/unknown function "frobnicate"[\s\S]*fix expression 2/);
    expect(watch.stdout).toBe('');
    const query = await opsdeckAsync(box.env, ['--profile', 'listening', 'metrics', 'query', '{}', '-o', 'json']);
    expect(query.code).toBe(2);
    expect(connections).toBe(before);
    // A valid expression does reach the listener, so the count above can move.
    await opsdeckAsync(box.env, ['--profile', 'listening', 'metrics', 'query', 'up', '-o', 'json']);
    expect(connections).toBeGreaterThan(before);
  });
});
