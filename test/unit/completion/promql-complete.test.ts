import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/commands/table.js';
import { applyCandidate } from '../../../src/shell/completion/apply.js';
import { complete } from '../../../src/shell/completion/complete.js';
import { scanLine } from '../../../src/shell/completion/scan-line.js';
import type { CompletionData, PromqlCompletionData } from '../../../src/shell/completion/types.js';
import { loadPromql } from '../../../src/shell/promql/load.js';
import { fakeData } from './fixtures.js';

/** Cached PromQL data as the console's cache would hold it once loaded. */
const promql: PromqlCompletionData = {
  metricNames: () => ['http_requests_total', 'http_request_duration_seconds_bucket', 'process_cpu_seconds_total', 'up', 'queue_depth'],
  metricInfo: (name) =>
    ({
      http_requests_total: { type: 'counter', help: 'Requests served.' },
      up: { type: 'gauge', help: 'Target is up.' },
    })[name],
  labelNames: (metric) => (metric === 'queue_depth' ? ['queue', 'instance'] : ['__name__', 'code', 'instance', 'job', 'route']),
  labelValues: (label, metric) => {
    if (label === 'job' && metric === 'http_requests_total') return ['api', 'api-canary', 'web'];
    if (label === 'job' && metric === 'up') return ['node', 'prometheus'];
    if (label === 'job' && metric === undefined) return ['api', 'api-canary', 'node', 'prometheus', 'web'];
    if (label === 'route') return ['/orders', "/it's", '/q"uote'];
    return undefined;
  },
};
const data: CompletionData = { ...fakeData().data, promql };

/** Completes with the cursor where `|` is, or at the end. */
function at(marked: string, d: CompletionData = data) {
  const cursor = marked.includes('|') ? marked.indexOf('|') : marked.length;
  const line = marked.replace('|', '');
  return { line, result: complete(COMMANDS, line, cursor, d, 50) };
}
const values = (marked: string) => at(marked).result.items.map((i) => i.value);
/** The line after choosing the candidate `value`, with `|` at the new cursor. */
function choose(marked: string, value: string): string {
  const { line, result } = at(marked);
  const c = result.items.find((i) => i.value === value);
  if (!c) throw new Error(`${value} not offered for ${marked}: ${result.items.map((i) => i.value).join(', ')}`);
  const applied = applyCandidate(line, result, c);
  return `${applied.text.slice(0, applied.cursor)}|${applied.text.slice(applied.cursor)}`;
}

beforeAll(async () => {
  await loadPromql();
});

describe('PromQL completion: expression positions', () => {
  it('offers metric names (with type and help), functions and aggregations at the start', () => {
    const r = at("metrics query 'http_req").result;
    expect(r.items.map((i) => i.value).slice(0, 2)).toEqual(['http_requests_total', 'http_request_duration_seconds_bucket']);
    expect(r.items[0]).toMatchObject({ kind: 'value', description: 'counter · Requests served.' });
    expect(r.hint).toBe('uests_total');
    const all = values("metrics query '");
    expect(all).toEqual(expect.arrayContaining(['abs', 'avg', 'http_requests_total']));
    expect(values("metrics query 'u")).toContain('up');
  });

  it('works in a bare word and in double quotes too', () => {
    expect(values('metrics query http_req')[0]).toBe('http_requests_total');
    expect(values('metrics query "rate(http_req')[0]).toBe('http_requests_total');
    expect(values('metrics range up --since 1h')).toEqual([]);
  });

  it('offers operands after a binary operator, with on/ignoring and bool after a comparison', () => {
    expect(values("metrics query 'up + qu").slice(0, 3).sort()).toEqual(['quantile', 'quantile_over_time', 'queue_depth']);
    expect(values("metrics query 'up > bo")).toContain('bool');
    expect(values("metrics query 'up / ign")[0]).toBe('ignoring');
    expect(values("metrics query 'up / on(job) group_")).toEqual(['group_left', 'group_right']);
    expect(values("metrics query 'up + bo")).not.toContain('bool');
  });

  it('offers operands inside a function call argument', () => {
    expect(values("metrics query 'rate(http_req")[0]).toBe('http_requests_total');
    expect(values("metrics query 'histogram_quantile(0.9, http_request_dur")[0]).toBe('http_request_duration_seconds_bucket');
  });

  it('offers function and aggregation names with their signatures, inserting the open parenthesis', () => {
    const r = at("metrics query 'irat").result;
    expect(r.items[0]).toMatchObject({ value: 'irate', description: expect.stringContaining('irate(r)') });
    expect(choose("metrics query 'irat", 'irate')).toBe("metrics query 'irate(|");
    expect(values("metrics query 'su")).toEqual(expect.arrayContaining(['sum', 'sum_over_time']));
    expect(at("metrics query 'topk").result.items[0]).toMatchObject({ value: 'topk', description: expect.stringContaining('aggregation') });
  });

  it('offers binary operators and keywords after a complete expression, by/without only after an aggregation', () => {
    expect(values("metrics query 'up an")[0]).toBe('and');
    expect(values("metrics query 'up ")).toEqual(expect.arrayContaining(['and', 'or', 'unless', 'offset', '+', '==']));
    expect(values("metrics query 'up ")).not.toContain('by');
    expect(values("metrics query 'sum(up) b")).toEqual(['by']);
    expect(values("metrics query 'sum(up) wi")).toEqual(['without']);
    expect(choose("metrics query 'sum(up) b", 'by')).toBe("metrics query 'sum(up) by(|");
  });

  it('offers label names of the selector’s metric inside {, without the ones already used', () => {
    expect(values("metrics query 'queue_depth{")).toEqual(['instance', 'queue']);
    expect(values("metrics query 'http_requests_total{job=\"api\", ")).toEqual(['code', 'instance', 'route']);
    expect(values("metrics query 'http_requests_total{jo")).toEqual(['job']);
    expect(at("metrics query 'up{jo").result.items[0]!.description).toBe('label of up');
  });

  it('offers label names after by ( and without (', () => {
    expect(values("metrics query 'sum by (")).toEqual(expect.arrayContaining(['job', 'route']));
    expect(values("metrics query 'sum by (job, ")).not.toContain('job');
    expect(values("metrics query 'sum(rate(queue_depth[5m])) without (q")).toEqual(['queue']);
  });

  it('offers the values of the metric under the cursor after =, =~ and !=', () => {
    expect(values("metrics query 'http_requests_total{job=\"")).toEqual(['api', 'api-canary', 'web']);
    expect(values("metrics query 'up{job=~\"")).toEqual(['node', 'prometheus']);
    expect(values("metrics query 'up{job!=\"pro")).toEqual(['prometheus']);
    expect(values("metrics query '{job=\"")).toEqual(['api', 'api-canary', 'node', 'prometheus', 'web']);
    expect(values("metrics query '{__name__=\"up\", job=\"")).toEqual(['node', 'prometheus']);
  });

  it('closes the label value’s string, or steps over a closing quote already there', () => {
    expect(choose("metrics query 'up{job=\"pro", 'prometheus')).toBe("metrics query 'up{job=\"prometheus\"|");
    expect(choose("metrics query 'up{job=\"pro|\"}'", 'prometheus')).toBe("metrics query 'up{job=\"prometheus\"|}'");
    expect(choose("metrics query 'up{job=", 'node')).toBe("metrics query 'up{job=\"node\"|");
    expect(at("metrics query 'up{job=\"pro").result.hint).toBe('metheus"');
    expect(at("metrics query 'up{job=\"pro|\"}'").result.hint).toBe('metheus');
  });

  it('offers durations inside [ and after offset, and units after a number', () => {
    expect(values("metrics query 'rate(up[")).toEqual(expect.arrayContaining(['1m', '5m', '1h']));
    expect(values("metrics query 'rate(up[5")).toEqual(['5s', '5m', '5h', '5d', '5w', '5ms', '5y']);
    expect(values("metrics query 'max_over_time(up[1h:")).toContain('1m');
    expect(values("metrics query 'up offset ")).toContain('5m');
    expect(choose("metrics query 'rate(up[5", '5m')).toBe("metrics query 'rate(up[5m|");
  });

  it('offers nothing inside a string that is not a label value, after a closed string, or in a comment', () => {
    expect(values("metrics query 'label_replace(up, \"ds")).toEqual([]);
    expect(values("metrics query 'up{job=\"api\"")).toEqual([]);
    expect(values("metrics query 'up # rat")).toEqual([]);
    expect(values("metrics query '1e")).toEqual([]);
  });

  it('completes every expression of metrics watch and metrics range', () => {
    expect(values("metrics watch up 'rate(http_req")[0]).toBe('http_requests_total');
    expect(values("metrics range 'up{job=\"")).toEqual(['node', 'prometheus']);
  });
});

describe('PromQL completion: applying inside shell quoting', () => {
  it('replaces the whole word under the cursor, keeping the quotes', () => {
    expect(choose("metrics query 'rate(http_req|uests)'", 'http_requests_total')).toBe("metrics query 'rate(http_requests_total|)'");
    expect(choose("metrics query 'sum(rate(up[5m])) by (jo|)'", 'job')).toBe("metrics query 'sum(rate(up[5m])) by (job|)'");
  });

  it('writes values with quote characters the way the word’s quoting needs', () => {
    // Single quotes cannot hold a quote: close, escape, reopen.
    expect(choose("metrics query 'up{route=\"/it", "/it's")).toBe(`metrics query 'up{route="/it'\\''s"|`);
    // Double quotes: \" and \\ escapes; the PromQL string needs its own escape for the quote.
    expect(choose('metrics query "up{route=\\"/q', '/q"uote')).toBe('metrics query "up{route=\\"/q\\\\\\"uote\\"|');
    // A bare word: its quotes are PromQL's; once it needs quoting, the whole word is single-quoted.
    expect(choose('metrics query up{route=', '/orders')).toBe(`metrics query 'up{route="/orders"|'`);
    // A PromQL quote typed without shell quoting is read as PromQL's, not as an open shell quote.
    expect(choose('metrics query up{route="/or', '/orders')).toBe(`metrics query 'up{route="/orders"|'`);
  });

  it('the applied text reads back as the intended PromQL', async () => {
    const { tokenize } = await import('../../../src/shell/tokenize.js');
    const cases: Array<[string, string, string]> = [
      ["metrics query 'up{route=\"/it", "/it's", `up{route="/it's"`],
      ['metrics query "up{route=\\"/q', '/q"uote', 'up{route="/q\\"uote"'],
      ['metrics query up{route=', '/orders', 'up{route="/orders"'],
      ['metrics query up{route="/or', '/orders', 'up{route="/orders"'],
    ];
    for (const [marked, value, expr] of cases) {
      const applied = choose(marked, value).replace('|', '');
      // Close whatever quote is still open, as the user would before running it.
      const open = scanLine(applied).words.at(-1)!.open;
      expect(tokenize(applied + open, () => undefined)[2]).toBe(expr);
    }
  });
});

describe('PromQL completion: syntax problems and missing data', () => {
  it('reports a syntax problem of the expression being typed, but not one that is merely unfinished at the end', () => {
    expect(at("metrics query 'sum by job (up)'").result.problem).toMatch(/^invalid PromQL at column 8: .*label names/);
    expect(at("metrics query 'sum(rate(up[5m])").result.problem).toBeUndefined();
    expect(at("metrics query 'sum(|rate(up[5m])'").result.problem).toMatch(/ends before the "\(" at column 4 is closed/);
    expect(at("metrics query 'rate(up[5m])'").result.problem).toBeUndefined();
  });

  it('offers functions but no metric names when the console has no metrics data', () => {
    const bare = fakeData().data;
    const r = complete(COMMANDS, "metrics query 'rat", 18, bare, 50);
    expect(r.items.map((i) => i.value)).toEqual(expect.arrayContaining(['rate']));
    expect(complete(COMMANDS, "metrics query 'up{job=\"", 22, bare, 50).items).toEqual([]);
  });
});
