import { defineOptions, duration, int, str, urlWithAuth } from '../kit/options.js';
import { TX_COMMON_FIELDS } from '../kit/tx-options.js';

/** The options of a `{type: seata-console}` entry. Loads no client library. */
export const SEATA_CONSOLE_OPTIONS = defineOptions(
  { type: 'seata-console', readme: 'Transactions (Seata)' },
  {
    url: urlWithAuth({ schemes: ['http', 'https'], required: 'url: http://seata-server:7091', hint: 'the Seata server console (server.port, 7091 by default)' }),
    /** The console user (console.user.username on the server). */
    username: str({ nonEmpty: true }),
    password: str(),
    ...TX_COMMON_FIELDS,
    timeoutMs: duration({ bareMs: true, default: 15_000 }),
    /** Answers bigger than this are refused instead of filling memory. */
    maxResponseBytes: int({ min: 1024, default: 16 * 1024 * 1024 }),
    /** Rows per request: the console accepts 1–100. */
    pageSize: int({ max: 100, default: 100, hint: 'the console returns at most 100 rows a page' }),
    /** Requests per listing at most; the console itself stops at page 999. */
    maxPages: int({ max: 999, default: 50, hint: 'the console stops at page 999' }),
  },
  (o, x) => {
    // Credentials written into the url count as username and password unless the keys are given.
    const username = o.username ?? o.url.username;
    const password = o.password ?? (o.username === undefined ? o.url.password : undefined);
    if (username === undefined || username === '') x.fail('username', 'needs username', 'the console user (console.user.username on the server)');
    if (password === undefined) x.fail('password', 'needs password', 'use "${SEATA_PASSWORD}" or "${file:...}" to keep it out of the file');
    const { retryingThreshold, ...rest } = o;
    return { ...rest, url: o.url.url, username, password, retryingThresholdMs: retryingThreshold };
  },
);

/** A `{type: seata-console}` entry, validated, with the backend column name. */
export type SeataConsoleOptions = ReturnType<typeof SEATA_CONSOLE_OPTIONS.read> & { name: string };

export function parseSeataConsoleOptions(o: Record<string, unknown>, name: string): SeataConsoleOptions {
  return { ...SEATA_CONSOLE_OPTIONS.read(o), name };
}
