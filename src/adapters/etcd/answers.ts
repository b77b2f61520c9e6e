import type { AnswerShape } from '../kit/shape.js';
import type { RawKv } from './codec.js';

/**
 * The gateway answers opsdeck reads, checked field by field before use, so an answer of another
 * shape (a proxy, an old gateway, a broken build) is a clear error naming etcd, never a crash in
 * BigInt or a listing that is silently empty. The gateway leaves out zero values (false, 0, empty
 * lists), so those fields are optional here.
 */

export interface RangeAnswer {
  revision: string | undefined;
  kvs: RawKv[];
  more: boolean;
}

export interface TxnAnswer {
  revision: string | undefined;
  succeeded: boolean;
  responses: Array<{ range: RangeAnswer | undefined; deleted: string | undefined }>;
}

export function readRange(s: AnswerShape, v: unknown, path = ''): RangeAnswer {
  const r = s.object(v, path);
  return { revision: readRevision(s, r, path), kvs: s.optArr(r, 'kvs', path).map((kv, i) => readKv(s, kv, `${path ? `${path}.` : ''}kvs[${i}]`)), more: s.optBool(r, 'more', path) ?? false };
}

export function readTxn(s: AnswerShape, v: unknown): TxnAnswer {
  const t = s.object(v);
  return {
    revision: readRevision(s, t, ''),
    succeeded: s.optBool(t, 'succeeded') ?? false,
    responses: s.optArr(t, 'responses').map((item, i) => {
      const path = `responses[${i}]`;
      const op = s.object(item, path);
      const range = op.response_range === undefined ? undefined : readRange(s, op.response_range, `${path}.response_range`);
      const del = s.optObj(op, 'response_delete_range', path);
      return { range, deleted: del === undefined ? undefined : s.optDecimal(del, 'deleted', `${path}.response_delete_range`) };
    }),
  };
}

/** /v3/lease/grant: the new lease's id and the TTL etcd granted (it may raise what was asked). */
export function readGrant(s: AnswerShape, v: unknown): { id: string; ttlS: number } {
  const g = s.object(v);
  return { id: s.decimal(g, 'ID'), ttlS: Number(s.decimal(g, 'TTL')) };
}

/** /v3/lease/timetolive: TTL is -1 once the lease is gone; grantedTTL is left out when 0. */
export function readTimeToLive(s: AnswerShape, v: unknown): { ttlS: number; grantedTtlS: number | null } {
  const t = s.object(v);
  const granted = s.optDecimal(t, 'grantedTTL');
  return { ttlS: Number(s.optDecimal(t, 'TTL') ?? -1), grantedTtlS: granted === undefined ? null : Number(granted) };
}

/** /v3/lease/keepalive: `result.TTL`, absent or 0 when the lease is gone. */
export function readKeepAlive(s: AnswerShape, v: unknown): number {
  const r = s.optObj(s.object(v), 'result');
  return r === undefined ? 0 : Number(s.optDecimal(r, 'TTL', 'result') ?? 0);
}

function readRevision(s: AnswerShape, o: Record<string, unknown>, parent: string): string | undefined {
  const at = parent ? `${parent}.header` : 'header';
  const header = s.optObj(o, 'header', parent);
  return header === undefined ? undefined : s.optDecimal(header, 'revision', at);
}

function readKv(s: AnswerShape, v: unknown, path: string): RawKv {
  const kv = s.object(v, path);
  return {
    key: s.str(kv, 'key', path),
    value: s.optStr(kv, 'value', path),
    create_revision: s.optDecimal(kv, 'create_revision', path),
    mod_revision: s.optDecimal(kv, 'mod_revision', path),
    version: s.optDecimal(kv, 'version', path),
    lease: s.optDecimal(kv, 'lease', path),
  };
}
