import { describe, expect, it } from 'vitest';
import { ResponseParser } from '../../src/loadgen/response-parser.js';

/** Feeds `text` cut at the given offsets, through one reused buffer as a socket's onread does. */
function parse(text: string, cuts: number[] = [], head = false) {
  const got: [number, boolean][] = [];
  const p = new ResponseParser((status, close) => got.push([status, close]), head);
  const bytes = Buffer.from(text, 'latin1');
  const shared = Buffer.alloc(bytes.length + 16, 0x0d); // stale bytes after each read
  let errors: (string | null)[] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    shared.fill(0x0a);
    bytes.copy(shared, 0, from, to);
    errors.push(p.feed(shared, 0, to - from));
    from = to;
  }
  errors = errors.filter((e) => e !== null);
  return { got, errors, parser: p };
}

const LENGTH = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello';
const CHUNKED = 'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n';
const CLOSE = 'HTTP/1.1 404 Not Found\r\nconnection: Close\r\ncontent-length: 0\r\n\r\n';
const SHOUTED = 'HTTP/1.1 200 OK\r\nCONNECTION: Keep-Alive\r\nCONTENT-LENGTH:3 \r\n\r\nabc';

describe('ResponseParser', () => {
  it('delimits responses by Content-Length, chunked framing and close, at every split point', () => {
    const stream = LENGTH + SHOUTED + CHUNKED + 'HTTP/1.1 100 Continue\r\n\r\n' + 'HTTP/1.1 204 No Content\r\n\r\n' + CLOSE;
    const want = [
      [200, false],
      [200, false],
      [201, false],
      [204, false],
      [404, true],
    ];
    for (let cut = 0; cut <= stream.length; cut++) {
      const r = parse(stream, [cut]);
      expect([cut, r.errors, r.got]).toEqual([cut, [], want]);
    }
    // One byte at a time.
    const bytewise = parse(stream, Array.from({ length: stream.length - 1 }, (_, i) => i + 1));
    expect(bytewise.got).toEqual(want);
  });

  it('a response without length or chunking ends when the server closes', () => {
    const r = parse('HTTP/1.0 200 OK\r\nServer: x\r\n\r\nsome body that runs until close');
    expect(r.got).toEqual([]);
    expect(r.parser.endsAtClose).toBe(true);
    expect(r.parser.finish()).toBe(true);
    expect(r.got).toEqual([[200, true]]);
  });

  it('answers to HEAD have no body even with a Content-Length', () => {
    const r = parse('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n', [], true);
    expect(r.got).toEqual([
      [200, false],
      [200, false],
    ]);
  });

  it('reports a malformed answer instead of guessing', () => {
    expect(parse('SSH-2.0-OpenSSH_9.2\r\n\r\n').errors).toEqual(['not an HTTP/1.x response']);
    expect(parse('HTTP/1.1 2x0 OK\r\n\r\n').errors).toEqual(['bad status code']);
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n').errors).toEqual(['bad content-length']);
  });

  it('says when it is inside a response, so a close there is a read error', () => {
    const r = parse('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    expect(r.got).toEqual([]);
    expect(r.parser.midResponse).toBe(true);
    expect(r.parser.finish()).toBe(false);
  });
});
