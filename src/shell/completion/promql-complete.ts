import { promqlEngineNow } from '../promql/load.js';
import type { PromqlContext, PromqlTarget } from './promql-context.js';
import { encodeFor, lineSpan, shellWord, textOffset } from './promql-shell-word.js';
import { DURATION_UNITS, PROMQL_AGGREGATIONS, PROMQL_BINARY_KEYWORDS, PROMQL_DURATIONS, PROMQL_FUNCTIONS, PROMQL_GROUPING, PROMQL_SYMBOLS } from './promql-words.js';
import { fuzzyIndexOf } from './fuzzy-index.js';
import { rank } from './rank.js';
import { scanLine } from './scan-line.js';
import type { Candidate, CompletionData, CompletionResult, PromqlCompletionData } from './types.js';

/** A completion in expression terms: the text for the span and where the cursor ends in it. */
interface Offer {
  value: string;
  description: string;
  text: string;
  cursor: number;
}

const NO_DATA: PromqlCompletionData = { metricNames: () => [], metricInfo: () => undefined, labelNames: () => [], labelValues: () => [] };

/**
 * Completes inside a PromQL argument of a console line: works out the expression the word holds,
 * asks `promqlContext` what fits at the cursor, and turns the offers into line edits written for
 * the word's quoting. Synchronous: live names come from `data.promql`, which only reads its cache;
 * until the parser module has loaded (it loads in the background on first use) nothing is offered.
 */
export function completePromql(line: string, cursor: number, data: CompletionData, limit: number): CompletionResult {
  const at = Math.max(0, Math.min(cursor, line.length));
  const empty: CompletionResult = { from: at, to: at, items: [], hint: '' };
  const engine = promqlEngineNow();
  // The parser loads in the background on first use: until it has, the menu says so.
  if (!engine) return { ...empty, loading: true };
  const current = scanLine(line).words.find((w) => w.start < at && at <= w.end);
  if (current && isBareExpression(line.slice(current.start, current.end))) return completeBare(engine, line, current, at, data, limit);
  const word = current ? shellWord(line, current.start, current.end) : shellWord(line, at, at);
  const textCursor = textOffset(word, at);
  const ctx = engine.promqlContext(word.text, textCursor);
  const problem = problemOf(engine, word.text, textCursor);
  const span = lineSpan(word, ctx.from, ctx.to);
  if (!span) return { ...empty, ...problem };
  const offers = limit > 0 ? offersFor(ctx, data.promql ?? NO_DATA, limit) : [];
  const items: Candidate[] = offers.map((o) => {
    const head = encodeFor(span.quote, o.text.slice(0, o.cursor));
    const text = head + encodeFor(span.quote, o.text.slice(o.cursor));
    // A cursor past the text steps over what follows the span (a label value's closing quote).
    const beyond = o.cursor > o.text.length && ctx.to < word.text.length ? word.rawEnd[ctx.to]! - word.rawAt[ctx.to]! : 0;
    return { value: o.value, description: o.description, kind: 'value', insert: { text, cursor: head.length + beyond } };
  });
  let hint = '';
  const best = offers[0];
  if (best && ctx.partial !== '' && at === span.to && best.text.startsWith(ctx.partial) && best.cursor >= best.text.length) {
    hint = encodeFor(span.quote, best.text.slice(ctx.partial.length));
  }
  return { from: span.from, to: span.to, items, hint, ...problem, ...loadingOf(items, data) };
}

/** No offer yet while a PromQL list is still on its first fetch: loading, not "nothing matches". */
function loadingOf(items: readonly Candidate[], data: CompletionData): { loading?: true } {
  return items.length === 0 && data.promql?.pending?.() === true ? { loading: true } : {};
}

/**
 * A word typed without shell quoting or escapes: its quotes are PromQL's (`up{handler="/x"}`), not
 * the shell's, whatever the tokenizer would make of them. Reading it that way, and quoting the
 * whole word for the shell when a completion needs it, gives a line that runs as the user meant;
 * escaping each inserted quote instead left `handler="\"/metrics\"` with a shell quote open.
 */
function isBareExpression(raw: string): boolean {
  return raw !== '' && !/^['"]/.test(raw) && !raw.includes('\\');
}

/** The word as the shell should see it: itself where nothing needs quoting, else single-quoted whole. */
function forShell(text: string, cursor: number): { text: string; cursor: number } {
  if (encodeFor('', text) === text) return { text, cursor };
  return { text: `'${encodeFor("'", text)}'`, cursor: 1 + encodeFor("'", text.slice(0, cursor)).length };
}

function completeBare(engine: NonNullable<ReturnType<typeof promqlEngineNow>>, line: string, word: { start: number; end: number }, at: number, data: CompletionData, limit: number): CompletionResult {
  const r = completeText(engine, line.slice(word.start, word.end), at - word.start, data, limit, forShell);
  return { ...r, from: word.start, to: word.end, hint: at === word.end ? r.hint : '' };
}

/**
 * Completes a PromQL expression as plain text (the metrics pane's query editor, where no shell
 * quoting applies): each candidate's `insert` is the whole new expression and its cursor.
 */
export function completeExpression(expr: string, cursor: number, data: CompletionData, limit: number): CompletionResult {
  const engine = promqlEngineNow();
  if (!engine) return { from: 0, to: expr.length, items: [], hint: '', loading: true };
  return completeText(engine, expr, Math.max(0, Math.min(cursor, expr.length)), data, limit, (text, c) => ({ text, cursor: c }));
}

/** Offers at `textCursor` of the expression `raw`, each written back whole by `write`. */
function completeText(
  engine: NonNullable<ReturnType<typeof promqlEngineNow>>,
  raw: string,
  textCursor: number,
  data: CompletionData,
  limit: number,
  write: (text: string, cursor: number) => { text: string; cursor: number },
): CompletionResult {
  const ctx = engine.promqlContext(raw, textCursor);
  const problem = problemOf(engine, raw, textCursor);
  const offers = limit > 0 ? offersFor(ctx, data.promql ?? NO_DATA, limit) : [];
  const items: Candidate[] = offers.map((o) => {
    const text = raw.slice(0, ctx.from) + o.text + raw.slice(ctx.to);
    // A cursor past the offer steps over what follows the span (a label value's closing quote).
    const cursor = ctx.from + Math.min(o.cursor, o.text.length) + (o.cursor > o.text.length && ctx.to < raw.length ? 1 : 0);
    return { value: o.value, description: o.description, kind: 'value', insert: write(text, cursor) };
  });
  let hint = '';
  const best = offers[0];
  // A hint is typed-ahead text at the cursor: only where the text needs no rewriting once completed.
  if (best && ctx.partial !== '' && textCursor === raw.length && textCursor === ctx.to && best.text.startsWith(ctx.partial) && best.cursor >= best.text.length) {
    const done = raw.slice(0, ctx.from) + best.text;
    if (write(done, done.length).text === done) hint = best.text.slice(ctx.partial.length);
  }
  return { from: 0, to: raw.length, items, hint, ...problem, ...loadingOf(items, data) };
}

/**
 * The first syntax problem of the expression, for a line under the prompt. "It stops too early"
 * is not news while the cursor is at the end, where the rest is still being typed.
 */
function problemOf(engine: NonNullable<ReturnType<typeof promqlEngineNow>>, expr: string, textCursor: number): { problem?: string } {
  if (expr.trim() === '') return {};
  const first = engine.lintPromql(expr)[0];
  if (!first || (first.incomplete && textCursor >= expr.trimEnd().length)) return {};
  return { problem: engine.describeProblem(expr, first).split('\n')[0] };
}

function offersFor(ctx: PromqlContext, data: PromqlCompletionData, limit: number): Offer[] {
  const t: PromqlTarget = ctx.target;
  const partial = ctx.partial;
  switch (t.kind) {
    case 'none':
      return [];
    case 'operand': {
      const keywords = new Map<string, string>();
      if (t.afterOperator?.comparison) keywords.set('bool', 'modifier: return 0/1 instead of filtering');
      if (t.afterOperator?.matching) {
        keywords.set('on', 'match only on these labels');
        keywords.set('ignoring', 'match ignoring these labels');
      }
      if (t.afterOperator?.grouping) {
        keywords.set('group_left', 'many-to-one: keep the left side’s labels');
        keywords.set('group_right', 'one-to-many: keep the right side’s labels');
      }
      const kw = rank([...keywords.keys()], partial, limit)
        .filter((k) => partial !== '' && k.startsWith(partial))
        .map((k) => keywordOffer(k, keywords.get(k)!));
      const names = fuzzyIndexOf(operandNames(data.metricNames()))
        .search(partial, limit)
        .map((name) => operandOffer(name, data));
      return [...kw, ...names].slice(0, limit);
    }
    case 'operator': {
      const words = new Map([...(t.aggregation ? PROMQL_GROUPING : []), ...PROMQL_BINARY_KEYWORDS]);
      const named = rank([...words.keys()], partial, limit).map((k) => keywordOffer(k, words.get(k)!));
      if (partial !== '') return named;
      const symbols = [...PROMQL_SYMBOLS].map(([s, d]) => ({ value: s, description: `binary operator: ${d}`, text: `${s} `, cursor: s.length + 1 }));
      return [...named, ...symbols].slice(0, limit);
    }
    case 'label-name':
    case 'grouping': {
      const used = new Set(t.used);
      const names = data.labelNames(t.metric).filter((n) => !used.has(n) && (t.metric === undefined || n !== '__name__'));
      const description = t.metric ? `label of ${t.metric}` : 'label';
      return fuzzyIndexOf(names)
        .search(partial, limit)
        .map((n) => ({ value: n, description, text: n, cursor: n.length }));
    }
    case 'label-value': {
      const values = data.labelValues(t.label, t.metric) ?? [];
      const quote = t.quote === '' ? '"' : t.quote;
      const description = t.metric ? `${t.label} of ${t.metric}` : t.label;
      return fuzzyIndexOf(values)
        .search(partial, limit)
        .filter((v) => quote !== '`' || !v.includes('`'))
        .map((v) => {
          const body = escapeString(v, quote);
          const text = `${t.quote === '' ? quote : ''}${body}${t.closed ? '' : quote}`;
          // The cursor ends after the closing quote, whether it was typed or is inserted now.
          return { value: v, description, text, cursor: t.closed ? text.length + 1 : text.length };
        });
    }
    case 'duration': {
      const list = /^\d+$/.test(partial) ? DURATION_UNITS.map((u) => `${partial}${u}`) : PROMQL_DURATIONS.filter((d) => d.startsWith(partial));
      return list.slice(0, limit).map((d) => ({ value: d, description: 'duration', text: d, cursor: d.length }));
    }
  }
}

const operandLists = new WeakMap<readonly string[], string[]>();

/** Metric names plus functions and aggregations, as one list (kept per metric list, so its search index is reused). */
function operandNames(metrics: readonly string[]): string[] {
  let list = operandLists.get(metrics);
  if (!list) {
    list = [...PROMQL_AGGREGATIONS.keys(), ...PROMQL_FUNCTIONS.keys(), ...metrics];
    operandLists.set(metrics, list);
  }
  return list;
}

/** Builds the search index of metric names plus PromQL words ahead of the first keystroke that needs it. */
export function prepareOperands(metrics: readonly string[]): void {
  fuzzyIndexOf(operandNames(metrics));
}

function operandOffer(name: string, data: PromqlCompletionData): Offer {
  const fn = PROMQL_FUNCTIONS.get(name) ?? PROMQL_AGGREGATIONS.get(name);
  if (fn !== undefined) return { value: name, description: fn, text: `${name}(`, cursor: name.length + 1 };
  const info = data.metricInfo(name);
  const description = info ? [info.type, info.help].filter(Boolean).join(' · ') : 'metric';
  return { value: name, description, text: name, cursor: name.length };
}

function keywordOffer(k: string, description: string): Offer {
  const text = PROMQL_GROUPING.has(k) || k === 'on' || k === 'ignoring' || k.startsWith('group_') ? `${k}(` : `${k} `;
  return { value: k, description, text, cursor: text.length };
}

/** A label value as the inside of a PromQL string in `quote`. */
function escapeString(value: string, quote: '"' | "'" | '`'): string {
  if (quote === '`') return value;
  return value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`).replace(/\n/g, '\\n');
}
