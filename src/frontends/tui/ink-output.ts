import stringWidth from 'string-width';

/**
 * A faster compositor for Ink's output stage, bundled in place of `ink/build/output.js`
 * (scripts/ink-output-plugin.mjs). Ink's own class builds the whole frame as one object per
 * terminal cell (120×40 = 4,800 per frame) and re-encodes every line's ANSI codes through a
 * tokenizer, on every keystroke; that work and its garbage were most of a frame's cost.
 *
 * This class joins each row's writes as strings instead. It takes that path only when the
 * result is the same as Ink's, cell for cell: no clipping, no two writes overlapping on a row,
 * only SGR escape codes, and every character one column wide (Ink counts a zero-width one as one
 * column). Any other frame is handed whole to Ink's own class, which stays the reference.
 * test/console/ink-output.test.ts compares the two on the same writes.
 */

type Transformer = (s: string, index: number) => string;

export interface InkOutput {
  width: number;
  height: number;
  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void;
  clip(clip: { x1: number | undefined; x2: number | undefined; y1: number | undefined; y2: number | undefined }): void;
  unclip(): void;
  get(): { output: string; height: number };
}

export type InkOutputClass = new (options: { width: number; height: number }) => InkOutput;

type Op =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Parameters<InkOutput['clip']>[0] }
  | { type: 'unclip' };

interface Segment {
  x: number;
  end: number;
  text: string;
}

const SGR = /\x1b\[([0-9;]*)m/g;
/** Width of a line that can be joined as it is (see joinableWidth); -1 when it cannot. */
const widths = new Map<string, number>();
const charWidths = new Map<string, number>();
/** Bounded: a long session sees many distinct lines, and most of them only once. */
const MAX_CACHED = 20_000;

/** SGR codes that end an attribute, by the attribute they end. */
const CLOSERS: Record<string, string> = { '22': 'weight', '23': 'italic', '24': 'underline', '25': 'blink', '27': 'inverse', '28': 'hidden', '29': 'strike', '39': 'fg', '49': 'bg', '55': 'overline' };

function attributeOf(code: number): string | null {
  if (code === 1 || code === 2) return 'weight';
  if (code === 3) return 'italic';
  if (code === 4) return 'underline';
  if (code === 5) return 'blink';
  if (code === 7) return 'inverse';
  if (code === 8) return 'hidden';
  if (code === 9) return 'strike';
  if ((code >= 30 && code <= 38) || (code >= 90 && code <= 97)) return 'fg';
  if ((code >= 40 && code <= 48) || (code >= 100 && code <= 107)) return 'bg';
  if (code === 53) return 'overline';
  return null;
}

/**
 * True when every attribute the line's SGR codes turn on is turned off again by its end: joined
 * next to other text, the line then styles only its own characters, as Ink's cells would.
 */
function balanced(line: string): boolean {
  const open = new Set<string>();
  for (const m of line.matchAll(SGR)) {
    const params = m[1] === '' ? [0] : m[1]!.split(';').map(Number);
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (p === 0) open.clear();
      else if (CLOSERS[String(p)]) open.delete(CLOSERS[String(p)]!);
      else {
        const attr = attributeOf(p);
        if (attr === null) return false;
        open.add(attr);
        // 38;5;N and 38;2;R;G;B carry their colour in the next parameters.
        if (p === 38 || p === 48) i += params[i + 1] === 5 ? 2 : params[i + 1] === 2 ? 4 : 0;
      }
    }
  }
  return open.size === 0;
}

/**
 * The columns a line covers when it can be joined as a string: only SGR escape codes, balanced,
 * and every character exactly one column wide. -1 otherwise.
 */
function joinableWidth(line: string): number {
  const cached = widths.get(line);
  if (cached !== undefined) return cached;
  let width = 0;
  let plain = line;
  if (line.includes('\x1b')) {
    plain = line.replace(SGR, '');
    if (plain.includes('\x1b') || !balanced(line)) width = -1;
  }
  if (width === 0) {
    for (const ch of plain) {
      const code = ch.codePointAt(0)!;
      // Printable ASCII is one column; anything else is asked once and remembered.
      let w = code >= 0x20 && code < 0x7f ? 1 : charWidths.get(ch);
      if (w === undefined) {
        w = stringWidth(ch);
        charWidths.set(ch, w);
      }
      if (w !== 1) {
        width = -1;
        break;
      }
      width++;
    }
  }
  if (widths.size >= MAX_CACHED) widths.clear();
  widths.set(line, width);
  return width;
}

/** Builds the fast class around Ink's own, which it falls back to for any frame it cannot join exactly. */
export function fastOutputClass(Fallback: InkOutputClass): InkOutputClass {
  return class FastOutput implements InkOutput {
    width: number;
    height: number;
    private readonly ops: Op[] = [];
    private clipped = false;

    constructor(options: { width: number; height: number }) {
      this.width = options.width;
      this.height = options.height;
    }

    write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
      if (!text) return;
      this.ops.push({ type: 'write', x, y, text, transformers: options.transformers });
    }

    clip(clip: Parameters<InkOutput['clip']>[0]): void {
      this.clipped = true;
      this.ops.push({ type: 'clip', clip });
    }

    unclip(): void {
      this.ops.push({ type: 'unclip' });
    }

    get(): { output: string; height: number } {
      const rows = this.clipped ? null : this.join();
      if (rows === null) return this.fallback();
      const lines: string[] = new Array(this.height);
      for (let y = 0; y < this.height; y++) {
        const segs = rows[y];
        if (segs === undefined) {
          lines[y] = '';
          continue;
        }
        if (segs.length > 1) segs.sort((a, b) => a.x - b.x);
        let line = '';
        let at = 0;
        for (const s of segs) {
          line += ' '.repeat(s.x - at) + s.text;
          at = s.end;
        }
        lines[y] = line.trimEnd();
      }
      return { output: lines.join('\n'), height: this.height };
    }

    /** Each row's writes as segments, or null when the frame needs Ink's cell-by-cell compositor. */
    private join(): Array<Segment[] | undefined> | null {
      const rows: Array<Segment[] | undefined> = new Array(this.height);
      for (const op of this.ops) {
        if (op.type !== 'write') continue;
        const parts = op.text.split('\n');
        for (let i = 0; i < parts.length; i++) {
          const y = op.y + i;
          if (y < 0 || y >= this.height) continue;
          let line = parts[i]!;
          for (const t of op.transformers) line = t(line, i);
          const width = joinableWidth(line);
          if (width < 0 || op.x < 0) return null;
          // Nothing visible: Ink's cells would not change either.
          if (width === 0) continue;
          const seg = { x: op.x, end: op.x + width, text: line };
          const row = (rows[y] ??= []);
          // Overlapping writes: the later one covers cells of the earlier; Ink decides those.
          for (const other of row) if (seg.x < other.end && other.x < seg.end) return null;
          row.push(seg);
        }
      }
      return rows;
    }

    private fallback(): { output: string; height: number } {
      const ink = new Fallback({ width: this.width, height: this.height });
      for (const op of this.ops) {
        if (op.type === 'write') ink.write(op.x, op.y, op.text, { transformers: op.transformers });
        else if (op.type === 'clip') ink.clip(op.clip);
        else ink.unclip();
      }
      return ink.get();
    }
  };
}
