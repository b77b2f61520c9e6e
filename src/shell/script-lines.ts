import { StringDecoder } from 'node:string_decoder';

export interface ScriptLine {
  source: string;
  line: number;
  text: string;
}

/**
 * The longest logical line a script may have (after `\` continuations are joined): 1 MiB of
 * characters. Typed commands are a few hundred characters; content larger than this belongs in a
 * file (`config set ID --file PATH`). The bound keeps a runaway line (a 10 MB argument, a stream
 * with no newline) from costing minutes or unbounded memory, and is reported with its line number.
 */
export const MAX_LINE_CHARS = 1_048_576;

/** A logical line: physical lines joined at `\`, numbered by the first of them. */
export interface LogicalLine extends ScriptLine {
  /** Set instead of a usable text when the line cannot be taken (too long, or a cut continuation). */
  problem?: { message: string; usage: boolean };
}

/** Numbers the lines of a text or a stream for the runner. */
export async function* scriptLines(source: string, chunks: AsyncIterable<string | Buffer> | string): AsyncIterable<ScriptLine> {
  let n = 0;
  if (typeof chunks === 'string') {
    let start = 0;
    while (start < chunks.length) {
      const nl = chunks.indexOf('\n', start);
      const end = nl < 0 ? chunks.length : nl;
      yield { source, line: ++n, text: stripCr(chunks.slice(start, end)) };
      start = end + 1;
    }
    return;
  }
  // A multi-byte character can straddle two chunks; the decoder holds the partial bytes.
  const decoder = new StringDecoder('utf8');
  // The line still open at the end of the last chunk, in pieces: each chunk is searched for
  // newlines once and each line joined once, so a long line in many chunks costs its length.
  let pieces: string[] = [];
  let pending = 0;
  // After an over-long line has been handed on, the rest of it (up to its newline) is dropped.
  let skipping = false;
  const take = function* (text: string): Generator<ScriptLine> {
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      if (skipping) skipping = false;
      else yield { source, line: ++n, text: stripCr(pieces.length === 0 ? text.slice(start, nl) : [...pieces, text.slice(start, nl)].join('')) };
      pieces = [];
      pending = 0;
      start = nl + 1;
    }
    if (start === text.length || skipping) return;
    pieces.push(text.slice(start));
    pending += text.length - start;
    // A line already over the limit is passed on as far as the runner needs to see that, and not
    // kept: a stream without newlines must not grow without bound.
    if (pending > MAX_LINE_CHARS) {
      yield { source, line: ++n, text: pieces.join('').slice(0, MAX_LINE_CHARS + 1) };
      skipping = true;
      pieces = [];
      pending = 0;
    }
  };
  for await (const chunk of chunks) yield* take(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  yield* take(decoder.end());
  if (pieces.length > 0) yield { source, line: ++n, text: stripCr(pieces.join('')) };
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/**
 * Joins physical lines that end in an unescaped `\` into logical lines. Each physical line is
 * looked at once and the logical line is assembled once (its parts joined at the end), so a
 * continuation of N lines costs time in proportion to its length, not N² as repeated
 * concatenation and re-testing of the growing text did.
 */
export async function* logicalLines(lines: AsyncIterable<ScriptLine>, maxChars = MAX_LINE_CHARS): AsyncIterable<LogicalLine> {
  let first: ScriptLine | null = null;
  let parts: string[] = [];
  let size = 0;
  for await (const raw of lines) {
    first ??= raw;
    const continued = endsInContinuation(raw.text);
    const part = continued ? raw.text.slice(0, -1) : raw.text;
    size += part.length;
    if (size > maxChars) {
      yield { source: first.source, line: first.line, text: '', problem: { message: `the line is longer than ${maxChars} characters, the limit for a script line (hint: put large content in a file, e.g. config set ID --file PATH)`, usage: true } };
      return;
    }
    parts.push(part);
    if (continued) continue;
    yield { source: first.source, line: first.line, text: parts.length === 1 ? parts[0]! : parts.join('') };
    first = null;
    parts = [];
    size = 0;
  }
  if (first) yield { source: first.source, line: first.line, text: '', problem: { message: 'the script ends inside a \\ continuation', usage: false } };
}

/** An odd number of trailing backslashes: the last one is not escaped, so it continues the line. */
function endsInContinuation(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && text[i] === '\\') i--;
  return (text.length - 1 - i) % 2 === 1;
}
