/**
 * A minimal HTTP/1.1 response parser for the load loop: it finds where each response ends and
 * keeps only the status code and whether the server will close. Headers other than
 * Content-Length, Transfer-Encoding and Connection are skipped, bodies are counted, never copied.
 * Node's own parser (through http or undici) does far more per response than a load generator
 * needs, and that work is what separates it from wrk.
 */

const enum State {
  Head,
  Body,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  UntilClose,
}

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
/** A header block larger than this is not an answer worth parsing further. */
const MAX_HEAD = 64 * 1024;

export class ResponseParser {
  private state = State.Head;
  /** Header bytes of a response whose head arrived in pieces (rare: heads are small). */
  private partial: Buffer | null = null;
  private remaining = 0;
  private status = 0;
  private close = false;
  private sizeLine = '';
  private lineLength = 0;

  /**
   * @param onResponse called once per complete final response (1xx answers are skipped)
   * @param headRequest the request is HEAD, so no response has a body
   */
  constructor(
    private readonly onResponse: (status: number, close: boolean) => void,
    private readonly headRequest = false,
  ) {}

  /** True while a response has begun but not ended (its bytes are not all here). */
  get midResponse(): boolean {
    return this.state !== State.Head || this.partial !== null;
  }

  /** Whether the response in progress ends when the server closes (no length, not chunked). */
  get endsAtClose(): boolean {
    return this.state === State.UntilClose;
  }

  reset(): void {
    this.state = State.Head;
    this.partial = null;
    this.remaining = 0;
    this.sizeLine = '';
    this.lineLength = 0;
  }

  /** The server closed: completes a response that was delimited by the close. */
  finish(): boolean {
    if (this.state !== State.UntilClose) return false;
    this.state = State.Head;
    this.onResponse(this.status, true);
    return true;
  }

  /**
   * Parses buf[start, end). `buf` may be reused by the caller after this returns (socket onread),
   * so anything kept is copied. Returns an error message for a malformed answer, else null.
   */
  feed(buf: Buffer, start: number, end: number): string | null {
    let pos = start;
    while (pos < end) {
      switch (this.state) {
        case State.Head: {
          if (this.partial !== null) {
            const joined = Buffer.concat([this.partial, buf.subarray(pos, end)]);
            const at = joined.indexOf(HEAD_END);
            if (at === -1) {
              if (joined.length > MAX_HEAD) return 'response header too large';
              this.partial = joined;
              return null;
            }
            this.partial = null;
            const err = this.head(joined, 0, at);
            if (err) return err;
            // The bytes of `joined` after the head are the tail of `buf`.
            pos = end - (joined.length - (at + 4));
            break;
          }
          const at = buf.indexOf(HEAD_END, pos);
          // A match that runs past `end` is stale bytes of a reused buffer, so no match.
          if (at === -1 || at + 4 > end) {
            this.partial = Buffer.from(buf.subarray(pos, end));
            return null;
          }
          const err = this.head(buf, pos, at);
          if (err) return err;
          pos = at + 4;
          break;
        }
        case State.Body: {
          const n = Math.min(this.remaining, end - pos);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.complete();
          break;
        }
        case State.ChunkSize: {
          const c = buf[pos++]!;
          if (c !== 0x0a) {
            if (this.sizeLine.length > 1024) return 'bad chunk size line';
            this.sizeLine += String.fromCharCode(c);
            break;
          }
          const size = parseInt(this.sizeLine, 16);
          this.sizeLine = '';
          if (!Number.isFinite(size) || size < 0) return 'bad chunk size';
          if (size === 0) {
            this.state = State.Trailers;
            this.lineLength = 0;
          } else {
            this.state = State.ChunkData;
            this.remaining = size;
          }
          break;
        }
        case State.ChunkData: {
          const n = Math.min(this.remaining, end - pos);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            this.state = State.ChunkEnd;
            this.remaining = 2;
          }
          break;
        }
        case State.ChunkEnd: {
          const n = Math.min(this.remaining, end - pos);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const c = buf[pos++]!;
          if (c === 0x0a) {
            if (this.lineLength === 0) this.complete();
            this.lineLength = 0;
          } else if (c !== 0x0d) this.lineLength++;
          break;
        }
        case State.UntilClose:
          return null;
      }
    }
    return null;
  }

  private complete(): void {
    this.state = State.Head;
    this.onResponse(this.status, this.close);
  }

  /** Reads a head ending at `at` (the blank line), and sets up how its body is delimited. */
  private head(buf: Buffer, start: number, at: number): string | null {
    // "HTTP/1.1 200 ": the version's minor digit and three status digits at fixed places.
    if (at - start < 12 || buf[start] !== 0x48 || buf[start + 4] !== 0x2f || buf[start + 8] !== 0x20) return 'not an HTTP/1.x response';
    const d1 = buf[start + 9]! - 48;
    const d2 = buf[start + 10]! - 48;
    const d3 = buf[start + 11]! - 48;
    if (d1 < 1 || d1 > 9 || d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9) return 'bad status code';
    const status = d1 * 100 + d2 * 10 + d3;
    // Headers are matched as bytes, case-insensitively: no string is made per response.
    let length = -1;
    let chunked = false;
    let close = buf[start + 7] === 0x30; // HTTP/1.0 closes unless it says keep-alive
    let line = buf.indexOf(0x0a, start) + 1;
    while (line > 0 && line < at) {
      const eol = buf.indexOf(0x0d, line);
      const lineEnd = eol === -1 || eol > at ? at : eol;
      const first = buf[line]! | 0x20;
      if (first === 0x63 /* c */) {
        if (nameIs(buf, line, lineEnd, CONTENT_LENGTH)) {
          length = digits(buf, line + CONTENT_LENGTH.length, lineEnd);
          if (length < 0) return 'bad content-length';
        } else if (nameIs(buf, line, lineEnd, CONNECTION)) {
          if (has(buf, line + CONNECTION.length, lineEnd, CLOSE)) close = true;
          else if (has(buf, line + CONNECTION.length, lineEnd, KEEP_ALIVE)) close = false;
        }
      } else if (first === 0x74 /* t */ && nameIs(buf, line, lineEnd, TRANSFER_ENCODING)) {
        chunked = has(buf, line + TRANSFER_ENCODING.length, lineEnd, CHUNKED);
      }
      line = lineEnd + 2;
    }
    if (status < 200) return null; // an interim answer (100 Continue): the real one follows
    this.status = status;
    this.close = close;
    if (this.headRequest || status === 204 || status === 304) this.complete();
    else if (chunked) {
      this.state = State.ChunkSize;
      this.sizeLine = '';
    } else if (length >= 0) {
      if (length === 0) this.complete();
      else {
        this.state = State.Body;
        this.remaining = length;
      }
    } else this.state = State.UntilClose;
    return null;
  }
}

const lower = (text: string) => Buffer.from(text, 'latin1');
const CONTENT_LENGTH = lower('content-length:');
const CONNECTION = lower('connection:');
const TRANSFER_ENCODING = lower('transfer-encoding:');
const CLOSE = lower('close');
const KEEP_ALIVE = lower('keep-alive');
const CHUNKED = lower('chunked');

/** Whether the line at `from` starts with `name` (lower case, with its colon), ignoring case. */
function nameIs(buf: Buffer, from: number, end: number, name: Buffer): boolean {
  if (end - from < name.length) return false;
  // | 0x20 lower-cases letters and leaves '-' and ':' as they are.
  for (let i = 0; i < name.length; i++) if ((buf[from + i]! | 0x20) !== name[i]) return false;
  return true;
}

/** The decimal number in buf[from, end) (spaces around it allowed), or -1. */
function digits(buf: Buffer, from: number, end: number): number {
  let i = from;
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  let n = -1;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) break;
    n = n < 0 ? d : n * 10 + d;
  }
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  return i === end ? n : -1;
}

/** Whether `word` (lower case) occurs in buf[from, end), ignoring case. */
function has(buf: Buffer, from: number, end: number, word: Buffer): boolean {
  outer: for (let i = from; i + word.length <= end; i++) {
    for (let k = 0; k < word.length; k++) if ((buf[i + k]! | 0x20) !== word[k]) continue outer;
    return true;
  }
  return false;
}
