/**
 * A parser for the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0: pure, no I/O.
 * It turns a scrape body or a dump into samples (labels with `__name__`, value, optional
 * timestamp in ms) and per-family metadata (TYPE, HELP, UNIT). Histograms and summaries need no
 * special handling to ingest (their `_bucket{le}`/`_sum`/`_count` and `{quantile}` lines are plain
 * samples), but they are checked: a histogram bucket without `le` or a summary quantile without
 * `quantile` is an error here, not a silently wrong `histogram_quantile` later.
 */

export type ExpositionFormat = 'text' | 'openmetrics';
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown' | 'untyped';

export interface ParsedSample {
  /** Labels with `__name__`, as the store keeps them. */
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the line carried a timestamp. */
  timestampMs?: number;
  /** The line's text up to the value (name and label set as written): a cheap key for the series. */
  series: string;
  exemplar?: { labels: Record<string, string>; value: number; timestampMs?: number };
}

export interface FamilyMetadata {
  type: MetricType;
  help: string;
  unit: string;
}

export interface Exposition {
  format: ExpositionFormat;
  samples: ParsedSample[];
  /** Keyed by family name (`http_request_duration_seconds`, not `…_bucket`). */
  metadata: Map<string, FamilyMetadata>;
}

export interface ParseOptions {
  /** Default: OpenMetrics when the text ends with `# EOF`, else the text format. */
  format?: ExpositionFormat;
  /** A longer line is refused (hostile or broken targets). Default 1 MiB. */
  maxLineLength?: number;
  /** Keep exemplars on samples (default: parsed and dropped). */
  keepExemplars?: boolean;
}

/** A problem in the input, with its 1-based line number. */
export class ExpositionError extends Error {
  constructor(readonly line: number, readonly detail: string) {
    super(`line ${line}: ${detail}`);
    this.name = 'ExpositionError';
  }
}

export const DEFAULT_MAX_LINE = 1 << 20;
const TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown', 'untyped']);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** OpenMetrics when the content type says so or a line is exactly `# EOF` (a promtool dump, an OM scrape). */
export function detectFormat(text: string, contentType?: string): ExpositionFormat {
  if (contentType) return /application\/openmetrics-text/i.test(contentType) ? 'openmetrics' : 'text';
  return /(^|\n)# EOF(\r?\n|$)/.test(text) ? 'openmetrics' : 'text';
}

export function parseExposition(text: string, opts: ParseOptions = {}): Exposition {
  const format = opts.format ?? detectFormat(text);
  const om = format === 'openmetrics';
  const maxLine = opts.maxLineLength ?? DEFAULT_MAX_LINE;
  const samples: ParsedSample[] = [];
  const metadata = new Map<string, FamilyMetadata>();
  const meta = (name: string): FamilyMetadata => {
    let m = metadata.get(name);
    if (!m) metadata.set(name, (m = { type: om ? 'unknown' : 'untyped', help: '', unit: '' }));
    return m;
  };
  let lineNo = 0;
  let pos = 0;
  let sawEof = false;
  while (pos < text.length) {
    lineNo++;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    if (end - pos > maxLine) throw new ExpositionError(lineNo, `the line is ${end - pos} characters long, over the limit of ${maxLine}`);
    const line = text.charCodeAt(end - 1) === 13 && !om ? text.slice(pos, end - 1) : text.slice(pos, end);
    pos = end + 1;
    if (sawEof) {
      if (line === '' && pos >= text.length) break;
      throw new ExpositionError(lineNo, 'content after "# EOF"');
    }
    if (line.trim() === '') {
      if (om && !(line === '' && pos >= text.length)) throw new ExpositionError(lineNo, 'OpenMetrics allows no blank lines');
      continue;
    }
    if (line.startsWith('#')) {
      if (om && line === '# EOF') {
        sawEof = true;
        continue;
      }
      const m = /^#[ \t]+(HELP|TYPE|UNIT)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line) ?? (om ? null : /^#[ \t]*(HELP|TYPE)[ \t]+(\S+)[ \t]*()$/.exec(line));
      if (!m) {
        if (om) throw new ExpositionError(lineNo, `OpenMetrics allows only "# HELP", "# TYPE", "# UNIT" and "# EOF" comments, not ${short(line)}`);
        continue;
      }
      const [, kw, name, rest = ''] = m;
      if (!METRIC_NAME.test(name!)) throw new ExpositionError(lineNo, `${short(name!)} is not a valid metric name`);
      if (kw === 'HELP') meta(name!).help = unescapeHelp(rest, lineNo, om);
      else if (kw === 'UNIT') meta(name!).unit = rest.trim();
      else {
        const type = rest.trim().toLowerCase();
        if (!TYPES.has(type) || (om && type === 'untyped') || (!om && !['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type))) {
          throw new ExpositionError(lineNo, `unknown metric type ${short(rest.trim())} for ${name}`);
        }
        meta(name!).type = type as MetricType;
      }
      continue;
    }
    const sample = parseSampleLine(line, lineNo, om, opts.keepExemplars === true);
    checkFamily(sample, metadata, lineNo);
    samples.push(sample);
  }
  if (om && !sawEof) throw new ExpositionError(lineNo, 'OpenMetrics input must end with "# EOF"');
  return { format, samples, metadata };
}

/** Which family a sample belongs to, by name suffix, among the families declared so far. */
export function familyOf(name: string, metadata: ReadonlyMap<string, FamilyMetadata>): string {
  if (metadata.has(name)) return name;
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created', '_gsum', '_gcount', '_info']) {
    if (name.endsWith(suffix)) {
      const base = name.slice(0, -suffix.length);
      if (metadata.has(base)) return base;
    }
  }
  return name;
}

function checkFamily(s: ParsedSample, metadata: ReadonlyMap<string, FamilyMetadata>, lineNo: number): void {
  const name = s.labels.__name__!;
  const family = familyOf(name, metadata);
  const type = metadata.get(family)?.type;
  if ((type === 'histogram' || type === 'gaugehistogram') && name === `${family}_bucket` && s.labels.le === undefined) {
    throw new ExpositionError(lineNo, `histogram bucket ${name} has no "le" label`);
  }
  if (type === 'summary' && name === family && s.labels.quantile === undefined) {
    throw new ExpositionError(lineNo, `summary ${name} has no "quantile" label`);
  }
}

/** Reads `name{labels} value [timestamp] [# {exemplar labels} value [timestamp]]`. */
function parseSampleLine(line: string, lineNo: number, om: boolean, keepExemplar: boolean): ParsedSample {
  const c = new Cursor(line, lineNo);
  const name = c.name(true);
  if (!name) throw new ExpositionError(lineNo, `expected a metric name at the start of ${short(line)}`);
  const labels: Record<string, string> = { __name__: name };
  if (c.peek() === '{') c.labels(labels);
  const seriesEnd = c.i;
  if (!c.blanks()) throw new ExpositionError(lineNo, `expected a space and a value after ${short(line.slice(0, c.i))}`);
  const series = line.slice(0, seriesEnd);
  const value = parseValue(c.token(), lineNo, 'value');
  const sample: ParsedSample = { labels, value, series };
  c.blanks();
  if (!c.done() && c.peek() !== '#') sample.timestampMs = parseTimestamp(c.token(), lineNo, om);
  c.blanks();
  if (!c.done() && c.peek() === '#') {
    if (!om) throw new ExpositionError(lineNo, 'exemplars ("# {…}") belong to OpenMetrics, not the text format');
    c.i++;
    c.blanks();
    if (c.peek() !== '{') throw new ExpositionError(lineNo, 'an exemplar must start with "{"');
    const exLabels: Record<string, string> = {};
    c.labels(exLabels);
    c.blanks();
    const exValue = parseValue(c.token(), lineNo, 'exemplar value');
    c.blanks();
    const exTs = c.done() ? undefined : parseTimestamp(c.token(), lineNo, true);
    if (keepExemplar) sample.exemplar = { labels: exLabels, value: exValue, ...(exTs === undefined ? {} : { timestampMs: exTs }) };
  }
  c.blanks();
  if (!c.done()) throw new ExpositionError(lineNo, `unexpected ${short(line.slice(c.i))} after the sample`);
  return sample;
}

class Cursor {
  i = 0;
  constructor(readonly s: string, readonly lineNo: number) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  peek(): string {
    return this.s[this.i] ?? '';
  }

  /** Skips spaces and tabs; true when there were some. */
  blanks(): boolean {
    const start = this.i;
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
    return this.i > start;
  }

  token(): string {
    const start = this.i;
    while (this.i < this.s.length && this.s[this.i] !== ' ' && this.s[this.i] !== '\t') this.i++;
    return this.s.slice(start, this.i);
  }

  name(metric: boolean): string {
    const start = this.i;
    for (; this.i < this.s.length; this.i++) {
      const ch = this.s.charCodeAt(this.i);
      const alpha = (ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) || ch === 95 || (metric && ch === 58);
      if (!alpha && !(this.i > start && ch >= 48 && ch <= 57)) break;
    }
    return this.s.slice(start, this.i);
  }

  labels(into: Record<string, string>): void {
    this.i++; // {
    for (;;) {
      this.blanks();
      if (this.peek() === '}') break;
      const name = this.name(false);
      if (!name) throw new ExpositionError(this.lineNo, this.done() ? 'the label set is not closed with "}"' : `expected a label name at ${short(this.s.slice(this.i))}`);
      this.blanks();
      if (this.peek() !== '=') throw new ExpositionError(this.lineNo, `expected "=" after the label name ${name}`);
      this.i++;
      this.blanks();
      if (this.peek() !== '"') throw new ExpositionError(this.lineNo, `the value of label ${name} must be a quoted string`);
      const value = this.quoted(name);
      if (Object.hasOwn(into, name)) throw new ExpositionError(this.lineNo, `label ${name} appears twice`);
      into[name] = value;
      this.blanks();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      if (this.peek() === '}') break;
      throw new ExpositionError(this.lineNo, this.done() ? 'the label set is not closed with "}"' : `expected "," or "}" after the value of label ${name}`);
    }
    this.i++; // }
  }

  /** A label value: `\\`, `\"` and `\n` are the only escapes (a raw newline cannot occur within a line). */
  private quoted(label: string): string {
    this.i++;
    let out = '';
    let from = this.i;
    for (; this.i < this.s.length; this.i++) {
      const ch = this.s[this.i];
      if (ch === '"') {
        out += this.s.slice(from, this.i);
        this.i++;
        return out;
      }
      if (ch === '\\') {
        out += this.s.slice(from, this.i);
        const next = this.s[this.i + 1];
        if (next === '\\' || next === '"') out += next;
        else if (next === 'n') out += '\n';
        else throw new ExpositionError(this.lineNo, `bad escape "\\${next ?? ''}" in the value of label ${label} (only \\\\, \\" and \\n are allowed)`);
        this.i++;
        from = this.i + 1;
      }
    }
    throw new ExpositionError(this.lineNo, `the value of label ${label} has no closing quote`);
  }
}

/** Go's ParseFloat as Prometheus uses it: decimals, exponents, hex floats aside, NaN and ±Inf in any case. */
function parseValue(tok: string, lineNo: number, what: string): number {
  if (tok === '') throw new ExpositionError(lineNo, `missing ${what}`);
  const lower = tok.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === '+inf' || lower === 'inf' || lower === '+infinity' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(tok) && !/^[+-]?\d[\d_]*$/.test(tok)) throw new ExpositionError(lineNo, `${what} ${short(tok)} is not a number`);
  return Number(tok.replaceAll('_', ''));
}

/** Text format: integer milliseconds; OpenMetrics: seconds, possibly fractional (truncated to ms, as Prometheus does). */
function parseTimestamp(tok: string, lineNo: number, om: boolean): number {
  if (om) {
    const s = parseValue(tok, lineNo, 'timestamp');
    if (!Number.isFinite(s)) throw new ExpositionError(lineNo, `timestamp ${short(tok)} is not finite`);
    return Math.trunc(s * 1000);
  }
  if (!/^-?\d+$/.test(tok)) throw new ExpositionError(lineNo, `timestamp ${short(tok)} must be whole milliseconds`);
  const ms = Number(tok);
  if (!Number.isSafeInteger(ms)) throw new ExpositionError(lineNo, `timestamp ${short(tok)} is out of range`);
  return ms;
}

/** HELP text: the text format escapes `\\` and `\n`; OpenMetrics also `\"`. */
function unescapeHelp(s: string, lineNo: number, om: boolean): string {
  return s.replace(/\\(.?)/g, (all, ch: string) => {
    if (ch === '\\') return '\\';
    if (ch === 'n') return '\n';
    if (ch === '"' && om) return '"';
    if (om) throw new ExpositionError(lineNo, `bad escape "${all}" in HELP text`);
    // The text format keeps other backslashes as they are (Prometheus' own parser does too).
    return all;
  });
}

/** A piece of input quoted for a message, cut so a megabyte line stays a one-line error. */
function short(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}
