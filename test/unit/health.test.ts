import { describe, expect, it } from 'vitest';
import { applyHealth, healthBoard, statusReports, subsystemHealth } from '../../src/core/health.js';

const board = healthBoard([
  { subsystem: 'registry', backend: 'nacos' },
  { subsystem: 'locks', backend: 'embedded' },
  { subsystem: 'locks', backend: 'redis' },
  { subsystem: 'metrics', backend: 'prometheus' },
]);

describe('health model', () => {
  it('starts every configured backend unknown; a subsystem without one is off', () => {
    expect(subsystemHealth(board, 'locks').state).toBe('unknown');
    expect(subsystemHealth(board, 'tx')).toEqual({ state: 'off', message: null, backend: null });
  });

  it('a subsystem is its worst backend: one Redis down makes locks down while embedded is fine', () => {
    const b = applyHealth(board, [
      { subsystem: 'locks', state: 'ok', message: null },
      { subsystem: 'locks', backend: 'redis', state: 'down', message: 'connect ECONNREFUSED 127.0.0.1:6390' },
    ]);
    expect(subsystemHealth(b, 'locks')).toEqual({ state: 'down', message: 'connect ECONNREFUSED 127.0.0.1:6390', backend: 'redis' });
    expect(b.backends.find((x) => x.backend === 'embedded')?.state).toBe('ok');
    // Redis back: a later load says ok for every backend of the subsystem.
    expect(subsystemHealth(applyHealth(b, [{ subsystem: 'locks', state: 'ok', message: null }]), 'locks').state).toBe('ok');
  });

  it('a report about a subsystem that is not configured changes nothing: never red', () => {
    const b = applyHealth(board, [{ subsystem: 'tx', state: 'down', message: 'profile local has no tx backend' }]);
    expect(b).toBe(board);
    expect(subsystemHealth(b, 'tx').state).toBe('off');
  });

  it("reads status's answers: unreachable is down with its error", () => {
    const b = applyHealth(
      board,
      statusReports([
        { subsystem: 'metrics', backend: 'prometheus', reachable: false, version: null, latencyMs: null, error: 'cannot reach http://127.0.0.1:1' },
        { subsystem: 'registry', backend: 'nacos', reachable: true, version: '2.3.2', latencyMs: 3, error: null },
      ]),
    );
    expect(subsystemHealth(b, 'metrics')).toMatchObject({ state: 'down', message: 'cannot reach http://127.0.0.1:1' });
    expect(subsystemHealth(b, 'registry').state).toBe('ok');
  });

  it("a ping that reaches a backend keeps the warning a listing found, and clears a down", () => {
    // The order the console meets them in: a pane load warns, then the background ping answers.
    const warned = applyHealth(board, [{ subsystem: 'registry', state: 'warning', message: 'the sidecar of one instance has not acknowledged' }]);
    const reached = statusReports([{ subsystem: 'registry', backend: 'nacos', reachable: true, version: '2.3.2', latencyMs: 3, error: null }]);
    expect(subsystemHealth(applyHealth(warned, reached), 'registry')).toMatchObject({ state: 'warning', message: 'the sidecar of one instance has not acknowledged' });
    const down = applyHealth(board, [{ subsystem: 'registry', state: 'down', message: 'connect ECONNREFUSED' }]);
    expect(subsystemHealth(applyHealth(down, reached), 'registry')).toEqual({ state: 'ok', message: null, backend: 'nacos' });
    // A listing without the warning clears it.
    expect(subsystemHealth(applyHealth(applyHealth(warned, reached), [{ subsystem: 'registry', state: 'ok', message: null }]), 'registry').state).toBe('ok');
  });
});
