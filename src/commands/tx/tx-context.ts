import type { AnnotateOptions } from '../../core/tx-annotate.js';
import type { TxBackend, TxListOptions } from '../../core/transactions.js';
import type { Ctx } from '../types.js';

/** Listing callbacks for a tx command: warnings once each, prefixed with the backend's name. */
export function txListOptions(ctx: Ctx, backend: TxBackend): TxListOptions {
  const said = new Set<string>();
  const warn = (m: string) => {
    if (said.has(m)) return;
    said.add(m);
    ctx.warn(`${backend.name}: ${m}`);
  };
  return { signal: ctx.signal, onIncomplete: (why) => warn(`listing incomplete, ${why}`), onWarning: warn };
}

export function annotateOptions(ctx: Ctx, backend: TxBackend): AnnotateOptions {
  return { version: backend.version, now: ctx.now(), retryingThresholdMs: backend.retryingThresholdMs };
}

/** The most rows a tx listing reads: each is kept, annotated and rendered in memory. */
export const TX_LIMIT_MAX = 100_000;
