import type { Style } from '../style.js';
import { displayWidth, ellipsize } from './display-width.js';

/** The Style hooks a chart paints with. */
export type Colour = 'green' | 'cyan' | 'yellow' | 'red' | 'dim';

/** Series colours, cycled in series order. */
export const SERIES_COLOURS: readonly Colour[] = ['green', 'cyan', 'yellow', 'red'];

export interface Segment {
  text: string;
  colour?: Colour | undefined;
}

/** A line as coloured segments, so widths are measured and cut before any escape code exists. */
export type StyledLine = Segment[];

export function lineWidth(line: StyledLine): number {
  return line.reduce((w, s) => w + displayWidth(s.text), 0);
}

/** Cuts a line to at most `width` columns; a cut ends in `…`. */
export function fitLine(line: StyledLine, width: number): StyledLine {
  if (lineWidth(line) <= width) return line;
  const out: StyledLine = [];
  let left = width;
  for (const seg of line) {
    const w = displayWidth(seg.text);
    if (w < left) {
      out.push(seg);
      left -= w;
      continue;
    }
    // This segment reaches the edge, and more follows it (the whole line is too wide).
    const cut = ellipsize(seg.text, left);
    if (cut !== '') out.push({ text: cut, colour: seg.colour });
    break;
  }
  return out;
}

/** Paints a line: trailing blanks dropped, runs of one colour wrapped once. */
export function paintLine(line: StyledLine, style: Style): string {
  const segs = line.filter((s) => s.text !== '');
  while (segs.length > 0) {
    const last = segs[segs.length - 1]!;
    const trimmed = last.text.trimEnd();
    if (trimmed !== '') {
      segs[segs.length - 1] = { text: trimmed, colour: last.colour };
      break;
    }
    segs.pop();
  }
  let out = '';
  let run = '';
  let colour: Colour | undefined;
  const flush = () => {
    if (run !== '') out += colour && run.trim() !== '' ? style[colour](run) : run;
    run = '';
  };
  for (const s of segs) {
    if (s.colour !== colour) {
      flush();
      colour = s.colour;
    }
    run += s.text;
  }
  flush();
  return out;
}
