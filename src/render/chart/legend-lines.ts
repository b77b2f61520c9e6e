import { displayWidth, truncateMiddle } from './display-width.js';
import { formatSi } from './format-si.js';
import type { Colour, StyledLine } from './styled-line.js';

export interface LegendEntry {
  label: string;
  colour: Colour;
  /** Last finite value in the window, and the extremes; null when the series has none. */
  cur: number | null;
  min: number | null;
  max: number | null;
}

/**
 * At most `rows` legend lines: a coloured marker and label, then current, min and max in aligned
 * columns. Labels are cut before the numbers are; series that do not fit are counted on the last
 * line. `indent` (aligning the legend with the plot) is dropped when the width is tight.
 */
export function legendLines(entries: readonly LegendEntry[], width: number, rows: number, unit: string, indent: number, curName = 'cur '): StyledLine[] {
  if (rows <= 0 || entries.length === 0) return [];
  const shown = entries.length <= rows ? entries : entries.slice(0, Math.max(1, rows - 1));
  const hidden = entries.length - shown.length;
  const labelW = Math.max(...shown.map((e) => displayWidth(e.label)));
  const room = (ind: number, statW: number) => width - ind - 2 - 2 - statW;
  // Numbers as `cur 1.2k  min 0  max 3k`, or as `1.2k ↓0 ↑3k` when that leaves the label too little.
  let statText = statColumns(shown, unit, [curName, 'min ', 'max '], '  ');
  if (room(0, maxWidth(statText)) < Math.min(labelW, 12)) statText = statColumns(shown, unit, [curName === 'cur ' ? '' : curName, '↓', '↑'], ' ');
  const statW = maxWidth(statText);
  // Keep the indent unless dropping it is what lets the labels show whole (or at least 12 columns).
  const lead = room(indent, statW) >= labelW || (room(0, statW) < labelW && room(indent, statW) >= 12) ? indent : 0;
  const labelCol = Math.min(labelW, Math.max(room(lead, statW), 8));
  const lines: StyledLine[] = shown.map((e, i) => [
    { text: ' '.repeat(lead) },
    { text: '● ' + pad(truncateMiddle(e.label, labelCol), labelCol), colour: e.colour },
    { text: '  ' + statText[i]!, colour: e.cur === null ? 'dim' : undefined },
  ]);
  if (hidden > 0) {
    if (rows >= 2) lines.push([{ text: ' '.repeat(lead) }, { text: `+${hidden} more series`, colour: 'dim' }]);
    else lines[0]!.push({ text: `  +${hidden} more`, colour: 'dim' });
  }
  return lines;
}

/** Current, min and max of each entry, each column padded to line up across entries. */
function statColumns(entries: readonly LegendEntry[], unit: string, names: readonly string[], gap: string): string[] {
  const cells = entries.map((e) => (e.cur === null ? null : [e.cur, e.min, e.max].map((v, i) => `${names[i]}${formatSi(v ?? NaN)}${unit}`)));
  const widths = [0, 1, 2].map((i) => Math.max(0, ...cells.map((c) => (c ? displayWidth(c[i]!) : 0))));
  return cells.map((c) => (c ? c.map((x, i) => pad(x, widths[i]!)).join(gap).trimEnd() : 'no data'));
}

function maxWidth(texts: readonly string[]): number {
  return Math.max(0, ...texts.map(displayWidth));
}

function pad(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - displayWidth(s)));
}
