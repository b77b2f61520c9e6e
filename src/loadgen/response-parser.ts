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
    const lineEnd = buf.indexOf(0x0a, start);
    const headers = lineEnd >= at ? '' : buf.toString('latin1', lineEnd - 1, at).toLowerCase();
    let length = -1;
    let chunked = false;
    let close = buf[start + 7] === 0x30; // HTTP/1.0 closes unless it says keep-alive
    if (headers.length > 0) {
      const cl = headers.indexOf('\r\ncontent-length:');
      if (cl !== -1) {
        length = parseInt(valueOf(headers, cl + 17), 10);
        if (!(length >= 0)) return 'bad content-length';
      }
      const te = headers.indexOf('\r\ntransfer-encoding:');
      if (te !== -1) chunked = valueOf(headers, te + 20).includes('chunked');
      const cn = headers.indexOf('\r\nconnection:');
      if (cn !== -1) {
        const v = valueOf(headers, cn + 13);
        if (v.includes('close')) close = true;
        else if (v.includes('keep-alive')) close = false;
      }
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

function valueOf(headers: string, from: number): string {
  const end = headers.indexOf('\r', from);
  return end === -1 ? headers.slice(from) : headers.slice(from, end);
}
