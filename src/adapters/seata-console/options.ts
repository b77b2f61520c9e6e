import { OpsError } from '../../core/errors.js';
import { txCommonOptions, type TxCommonOptions } from '../../core/tx-common-options.js';

export interface SeataConsoleOptions extends TxCommonOptions {
  url: string;
  username: string;
  password: string;
  timeoutMs: number;
  /** Answers bigger than this are refused instead of filling memory. */
  maxResponseBytes: number;
  /** Rows per request: the console accepts 1–100. */
  pageSize: number;
  /** Requests per listing at most; the console itself stops at page 999. */
  maxPages: number;
  name: string;
}

const fail = (msg: string, hint: string) => new OpsError('config', `tx (seata-console): ${msg}`, hint);

export function parseSeataConsoleOptions(o: Record<string, unknown>, name: string): SeataConsoleOptions {
  if (typeof o.url !== 'string' || !/^https?:\/\//.test(o.url)) throw fail('give "url: http://seata-server:7091"', 'the Seata server console (server.port, 7091 by default)');
  if (typeof o.username !== 'string' || o.username === '') throw fail('give "username"', 'the console user (console.user.username on the server)');
  if (typeof o.password !== 'string') throw fail('give "password" (use "${SEATA_PASSWORD}" or "${file:...}" to keep it out of the file)', 'the console password');
  const n = (v: unknown, d: number, max = Infinity) => (typeof v === 'number' && v > 0 ? Math.min(Math.floor(v), max) : d);
  return {
    url: o.url.replace(/\/+$/, ''),
    username: o.username,
    password: o.password,
    ...txCommonOptions(o),
    timeoutMs: n(o.timeoutMs, 15_000),
    maxResponseBytes: n(o.maxResponseBytes, 16 * 1024 * 1024),
    pageSize: n(o.pageSize, 100, 100),
    maxPages: n(o.maxPages, 50, 999),
    name,
  };
}
