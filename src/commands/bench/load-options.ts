import { durationOpt, flagOpt, intOpt, listOpt, stringOpt } from '../option-types.js';

/**
 * The load flags `bench URL` and `bench service` share, named after wrk's where wrk has one
 * (-c, -t, -d, -H, --timeout; -R is wrk2's --rate), and curl's for the request (-X, -H).
 */
export const LOAD_OPTIONS = {
  method: stringOpt({ short: 'X', value: 'method', summary: 'HTTP method', default: 'GET' }),
  header: listOpt({ short: 'H', value: 'name: value', summary: 'request header (repeatable)' }),
  body: stringOpt({ value: 'text|@file', summary: 'request body: the text, or @path to send a file' }),
  duration: durationOpt({ short: 'd', summary: 'how long to run (with -n too, whichever ends first)', default: '10s' }),
  requests: intOpt({ short: 'n', summary: 'stop after this many responses (instead of after -d)', min: 1 }),
  connections: intOpt({ short: 'c', summary: 'connections open in all, spread over threads and targets', default: 10, min: 1, max: 100_000 }),
  threads: intOpt({ short: 't', summary: 'worker threads, each with its own event loop', default: 2, min: 1, max: 256 }),
  timeout: durationOpt({ summary: 'a request with no full answer after this long counts as a timeout error', default: '2s', max: '1h' }),
  'no-keepalive': flagOpt({ summary: 'a new connection for every request (keep-alive is on by default)' }),
  rate: intOpt({ value: 'req/s', summary: 'constant throughput over all threads; latency then counts from each intended send time (wrk2 -R)', min: 1, max: 10_000_000 }),
  pipelining: intOpt({ summary: 'requests in flight per connection', default: 1, min: 1, max: 1000 }),
};
