import { describe, expect, it } from 'vitest';
import type { GlobalTx } from '../../src/core/transactions.js';
import { annotateGlobal, stuckFirst } from '../../src/core/tx-annotate.js';
import { decodeRowKey, pkValues } from '../../src/core/tx-row-key.js';
import { branchStatusName, globalStatusName, parseGlobalStatuses } from '../../src/core/tx-status-names.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const tx = (o: Partial<GlobalTx>): GlobalTx => ({
  xid: 'x', transactionId: null, status: 1, applicationId: null, serviceGroup: null, transactionName: null, timeoutMs: 60_000,
  beganAt: new Date(NOW - 30_000).toISOString(), createdAt: null, modifiedAt: null, branchCount: null, ...o,
});
const opts = { version: '2' as const, now: NOW, retryingThresholdMs: 300_000 };

describe('Seata status names', () => {
  it('names codes per version and leaves codes the version lacks unnamed', () => {
    expect(globalStatusName(7, '1')).toBe('TimeoutRollbackRetrying');
    expect(globalStatusName(17, '2')).toBe('RollbackRetryTimeout');
    expect(globalStatusName(18, '2')).toBeNull();
    expect(globalStatusName(-1, '2')).toBeNull();
    expect(globalStatusName(null, '2')).toBeNull();
    expect(branchStatusName(13, '2')).toBe('PhaseOne_RDONLY');
    expect(branchStatusName(13, '1')).toBeNull();
    expect(branchStatusName(12, '1')).toBe('PhaseTwo_RollbackFailed_XAER_NOTA_Retryable');
  });

  it('parses --status names in any case and bare codes, and refuses unknown names', () => {
    expect(parseGlobalStatuses('commitretrying, 5,Finished', '2')).toEqual([3, 5, 15]);
    expect(parseGlobalStatuses('42', '1')).toEqual([42]);
    expect(() => parseGlobalStatuses('Stuck', '2')).toThrow(/unknown Seata 2\.x global status "Stuck"/);
  });
});

describe('row keys', () => {
  it('decodes resource, table and a pk that may be composite', () => {
    expect(decodeRowKey('jdbc:mysql://h:3306/db^^^t_order_item^^^1001_7')).toEqual({ resourceId: 'jdbc:mysql://h:3306/db', tableName: 't_order_item', pk: '1001_7' });
    expect(pkValues('1001_7')).toEqual(['1001', '7']);
    expect(pkValues(null)).toEqual([]);
    expect(decodeRowKey('r^^^t^^^a^^^b')).toEqual({ resourceId: 'r', tableName: 't', pk: 'a^^^b' });
    expect(decodeRowKey('no-separators')).toBeNull();
    expect(decodeRowKey('r^^^only-two')).toBeNull();
  });
});

describe('stuck flags', () => {
  it('flags an unfinished transaction past its timeout, but not a finished one', () => {
    expect(annotateGlobal(tx({ status: 1, beganAt: new Date(NOW - 61_000).toISOString() }), opts).flags).toEqual(['timed-out']);
    expect(annotateGlobal(tx({ status: 1 }), opts).flags).toEqual([]);
    expect(annotateGlobal(tx({ status: 9, beganAt: new Date(NOW - 3_600_000).toISOString() }), opts).flags).toEqual([]);
    expect(annotateGlobal(tx({ status: 1, timeoutMs: null, beganAt: new Date(NOW - 3_600_000).toISOString() }), opts).flags).toEqual([]);
  });

  it('flags a retrying status by time since the last change, falling back to the age', () => {
    const long = new Date(NOW - 301_000).toISOString();
    const older = new Date(NOW - 400_000).toISOString();
    expect(annotateGlobal(tx({ status: 5, timeoutMs: null, beganAt: older, modifiedAt: long }), opts).flags).toEqual(['retrying']);
    expect(annotateGlobal(tx({ status: 5, timeoutMs: null, beganAt: long, modifiedAt: new Date(NOW - 1000).toISOString() }), opts).flags).toEqual([]);
    expect(annotateGlobal(tx({ status: 5, timeoutMs: null, beganAt: long }), opts)).toMatchObject({ inStatusMs: 301_000, flags: ['retrying'] });
    expect(annotateGlobal(tx({ status: 99, beganAt: long }), opts)).toMatchObject({ statusName: null, flags: [] });
  });

  it('flags the phase-two statuses the TC retries in place: Committing, Rollbacking, TimeoutRollbacking', () => {
    // Measured on a real 1.8.0 TC: with the application gone, the transaction stays in
    // TimeoutRollbacking (6) while the TC retries the branch rollback every second; its retry tasks
    // take Committing/CommitRetrying and Rollbacking/RollbackRetrying/TimeoutRollbacking/
    // TimeoutRollbackRetrying alike.
    const t = { timeoutMs: null, beganAt: new Date(NOW - 400_000).toISOString(), modifiedAt: new Date(NOW - 301_000).toISOString() };
    for (const status of [2, 3, 4, 5, 6, 7, 8]) expect(annotateGlobal(tx({ ...t, status }), opts).flags, `status ${status}`).toEqual(['retrying']);
    for (const status of [1, 9, 11, 13, 15]) expect(annotateGlobal(tx({ ...t, status }), opts).flags, `status ${status}`).toEqual([]);
  });

  it('never reports more time in the status than the age', () => {
    // gmt_modified has whole seconds (TIMESTAMP(0), rounded on PostgreSQL), begin_time milliseconds:
    // a transaction that began at .441 was last modified at .000 of the same second.
    const began = NOW - 600;
    const v = annotateGlobal(tx({ beganAt: new Date(began).toISOString(), modifiedAt: new Date(began - 441).toISOString() }), opts);
    expect(v).toMatchObject({ ageMs: 600, inStatusMs: 600 });
    expect(annotateGlobal(tx({ beganAt: new Date(NOW - 5000).toISOString(), modifiedAt: new Date(NOW - 2000).toISOString() }), opts)).toMatchObject({ ageMs: 5000, inStatusMs: 2000 });
  });

  it('orders flagged first, then oldest, unknown ages last', () => {
    const rows = [
      annotateGlobal(tx({ xid: 'young', beganAt: new Date(NOW - 1000).toISOString() }), opts),
      annotateGlobal(tx({ xid: 'unknown-age', beganAt: null }), opts),
      annotateGlobal(tx({ xid: 'failed', status: 10 }), opts),
      annotateGlobal(tx({ xid: 'old', beganAt: new Date(NOW - 50_000).toISOString() }), opts),
    ].sort(stuckFirst);
    expect(rows.map((r) => r.xid)).toEqual(['failed', 'old', 'young', 'unknown-age']);
  });
});
