import { describe, expect, it } from 'vitest';
import { detectFormat, ExpositionError, parseExposition } from '../../../src/engine/metrics/exposition-parser.js';

/** Samples without the line-text key, which one test checks on its own. */
const plain = (x: ReturnType<typeof parseExposition>) => x.samples.map(({ series: _series, ...rest }) => rest);

const errorOf = (text: string, opts = {}): ExpositionError => {
  try {
    parseExposition(text, opts);
  } catch (e) {
    if (e instanceof ExpositionError) return e;
    throw e;
  }
  throw new Error('no error');
};

describe('text format', () => {
  it('reads counters, gauges and untyped samples with HELP and TYPE', () => {
    const out = parseExposition(
      [
        '# HELP http_requests_total The total number of HTTP requests.',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="post",code="200"} 1027 1395066363000',
        'http_requests_total{method="post",code="400"}    3 1395066363000',
        '',
        '# A plain comment',
        'metric_without_timestamp_and_labels 12.47',
        '# TYPE temp gauge',
        'temp{room="a",} -3.5e2',
        'untyped_thing 1',
      ].join('\n'),
    );
    expect(out.format).toBe('text');
    expect(plain(out)).toEqual([
      { labels: { __name__: 'http_requests_total', method: 'post', code: '200' }, value: 1027, timestampMs: 1395066363000 },
      { labels: { __name__: 'http_requests_total', method: 'post', code: '400' }, value: 3, timestampMs: 1395066363000 },
      { labels: { __name__: 'metric_without_timestamp_and_labels' }, value: 12.47 },
      { labels: { __name__: 'temp', room: 'a' }, value: -350 },
      { labels: { __name__: 'untyped_thing' }, value: 1 },
    ]);
    expect(out.metadata.get('http_requests_total')).toEqual({ type: 'counter', help: 'The total number of HTTP requests.', unit: '' });
    expect(out.metadata.get('temp')?.type).toBe('gauge');
    expect(out.samples.map((x) => x.series)).toEqual(['http_requests_total{method="post",code="200"}', 'http_requests_total{method="post",code="400"}', 'metric_without_timestamp_and_labels', 'temp{room="a",}', 'untyped_thing']);
  });

  it('reads NaN and infinities, and escapes in label values and HELP', () => {
    const out = parseExposition(
      [
        '# HELP weird A \\\\ backslash\\nand a newline',
        'weird{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} NaN',
        'plus +Inf',
        'minus -Inf',
        'inf_again Inf',
      ].join('\n'),
    );
    expect(out.samples[0]!.labels).toEqual({ __name__: 'weird', path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(Number.isNaN(out.samples[0]!.value)).toBe(true);
    expect(out.samples.slice(1).map((s) => s.value)).toEqual([Infinity, -Infinity, Infinity]);
    expect(out.metadata.get('weird')!.help).toBe('A \\ backslash\nand a newline');
  });

  it('reads a histogram and a summary as plain samples, and checks their labels', () => {
    const out = parseExposition(
      [
        '# TYPE rpc_duration_seconds histogram',
        'rpc_duration_seconds_bucket{le="0.05"} 24054',
        'rpc_duration_seconds_bucket{le="+Inf"} 144320',
        'rpc_duration_seconds_sum 53423',
        'rpc_duration_seconds_count 144320',
        '# TYPE rpc_summary summary',
        'rpc_summary{quantile="0.99"} 76656',
        'rpc_summary_sum 1.7560473e+07',
        'rpc_summary_count 2693',
      ].join('\n'),
    );
    expect(out.samples.map((s) => s.labels.__name__)).toEqual([
      'rpc_duration_seconds_bucket',
      'rpc_duration_seconds_bucket',
      'rpc_duration_seconds_sum',
      'rpc_duration_seconds_count',
      'rpc_summary',
      'rpc_summary_sum',
      'rpc_summary_count',
    ]);
    expect(out.samples[1]!.labels.le).toBe('+Inf');
    expect(out.samples[4]!.labels.quantile).toBe('0.99');
    expect(errorOf('# TYPE h histogram\nh_bucket{x="1"} 3').message).toBe('line 2: histogram bucket h_bucket has no "le" label');
    expect(errorOf('# TYPE s summary\ns 3').message).toBe('line 2: summary s has no "quantile" label');
  });

  it('handles CRLF line ends and tabs between tokens', () => {
    const out = parseExposition('a 1\r\nb\t2\t1000\r\n');
    expect(plain(out)).toEqual([
      { labels: { __name__: 'a' }, value: 1 },
      { labels: { __name__: 'b' }, value: 2, timestampMs: 1000 },
    ]);
  });
});

describe('OpenMetrics', () => {
  it('reads UNIT, second timestamps, exemplars, and needs # EOF', () => {
    const text = [
      '# TYPE foo_seconds histogram',
      '# UNIT foo_seconds seconds',
      '# HELP foo_seconds A \\"quoted\\" help',
      'foo_seconds_bucket{le="0.1"} 8 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.067 1520879602.415',
      'foo_seconds_bucket{le="+Inf"} 17 1520879607.789',
      'foo_seconds_count 17 1520879607.789',
      'foo_seconds_sum 324789.3 1520879607.789',
      '# EOF',
      '',
    ].join('\n');
    expect(detectFormat(text)).toBe('openmetrics');
    const out = parseExposition(text, { keepExemplars: true });
    expect(out.format).toBe('openmetrics');
    expect(out.metadata.get('foo_seconds')).toEqual({ type: 'histogram', help: 'A "quoted" help', unit: 'seconds' });
    expect(plain(out)[0]).toEqual({
      labels: { __name__: 'foo_seconds_bucket', le: '0.1' },
      value: 8,
      timestampMs: 1520879607789,
      exemplar: { labels: { trace_id: 'KOO5S4vxi0o' }, value: 0.067, timestampMs: 1520879602415 },
    });
    // Dropped unless asked for.
    expect(parseExposition(text).samples[0]!.exemplar).toBeUndefined();
  });

  it('refuses content after # EOF, a missing # EOF, blank lines and stray comments', () => {
    expect(errorOf('a 1\n# EOF\nb 2\n').message).toBe('line 3: content after "# EOF"');
    expect(errorOf('a 1\n', { format: 'openmetrics' }).message).toBe('line 1: OpenMetrics input must end with "# EOF"');
    expect(errorOf('a 1\n\nb 2\n# EOF\n').message).toBe('line 2: OpenMetrics allows no blank lines');
    expect(errorOf('# hello\na 1\n# EOF').message).toMatch(/^line 1: OpenMetrics allows only/);
  });

  it('refuses exemplars in the text format', () => {
    expect(errorOf('a 1 # {x="y"} 1').message).toBe('line 1: exemplars ("# {…}") belong to OpenMetrics, not the text format');
  });
});

describe('hostile and broken input', () => {
  it('names the line and the problem', () => {
    expect(errorOf('ok 1\nbad{a="\\x"} 1').message).toBe('line 2: bad escape "\\x" in the value of label a (only \\\\, \\" and \\n are allowed)');
    expect(errorOf('bad{a="open} 1').message).toBe('line 1: the value of label a has no closing quote');
    expect(errorOf('bad{a="1"').message).toBe('line 1: the label set is not closed with "}"');
    expect(errorOf('bad{a="1" b="2"} 1').message).toBe('line 1: expected "," or "}" after the value of label a');
    expect(errorOf('bad{a=1} 1').message).toBe('line 1: the value of label a must be a quoted string');
    expect(errorOf('bad{a="1",a="2"} 1').message).toBe('line 1: label a appears twice');
    expect(errorOf('bad one').message).toBe('line 1: value "one" is not a number');
    expect(errorOf('bad').message).toBe('line 1: expected a space and a value after "bad"');
    expect(errorOf('bad 1 12.5').message).toBe('line 1: timestamp "12.5" must be whole milliseconds');
    expect(errorOf('bad 1 2 3').message).toBe('line 1: unexpected "3" after the sample');
    expect(errorOf('{a="1"} 1').message).toBe('line 1: expected a metric name at the start of "{a=\\"1\\"} 1"');
    expect(errorOf('# TYPE x histo').message).toBe('line 1: unknown metric type "histo" for x');
  });

  it('refuses a huge line without quoting all of it', () => {
    const huge = `x{a="${'z'.repeat(3000)}"} 1`;
    const e = errorOf(`ok 1\n${huge}`, { maxLineLength: 1000 });
    expect(e.message).toBe(`line 2: the line is ${huge.length} characters long, over the limit of 1000`);
    const long = errorOf(`bad{a="1"} ${'9'.repeat(5000)}x`);
    expect(long.message.length).toBeLessThan(150);
  });

  it('survives a megabyte of label values within the limit', () => {
    const big = 'v'.repeat(500_000);
    const out = parseExposition(`x{a="${big}"} 1`);
    expect(out.samples[0]!.labels.a!.length).toBe(500_000);
  });
});
