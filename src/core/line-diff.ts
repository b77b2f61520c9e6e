export interface DiffLine {
  op: ' ' | '+' | '-';
  text: string;
}

/** Beyond this many cells the LCS table is skipped and the middle is shown as replaced wholesale. */
const MAX_CELLS = 16_000_000;

/**
 * Line diff of two texts: common prefix and suffix are trimmed, then an LCS table aligns the rest.
 * The result lists every line of both sides in order, so callers can show full or hunked output.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = a.slice(0, start).map((text) => ({ op: ' ', text }));
  out.push(...middle(a.slice(start, endA), b.slice(start, endB)));
  out.push(...a.slice(endA).map((text): DiffLine => ({ op: ' ', text })));
  return out;
}

/** Unified-diff style hunks with `context` lines around each change. */
export function unifiedDiff(lines: DiffLine[], context = 3): string[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.op === ' ') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep[j] = true;
  });
  const out: string[] = [];
  let oldNo = 1;
  let newNo = 1;
  for (let i = 0; i < lines.length; ) {
    if (!keep[i]) {
      if (lines[i]!.op !== '+') oldNo++;
      if (lines[i]!.op !== '-') newNo++;
      i++;
      continue;
    }
    let j = i;
    let oldLen = 0;
    let newLen = 0;
    const body: string[] = [];
    for (; j < lines.length && keep[j]; j++) {
      const l = lines[j]!;
      if (l.op !== '+') oldLen++;
      if (l.op !== '-') newLen++;
      body.push(l.op + l.text);
    }
    out.push(`@@ -${oldLen === 0 ? oldNo - 1 : oldNo},${oldLen} +${newLen === 0 ? newNo - 1 : newNo},${newLen} @@`, ...body);
    oldNo += oldLen;
    newNo += newLen;
    i = j;
  }
  return out;
}

function middle(a: string[], b: string[]): DiffLine[] {
  if (a.length === 0) return b.map((text) => ({ op: '+', text }));
  if (b.length === 0) return a.map((text) => ({ op: '-', text }));
  if (a.length * b.length > MAX_CELLS) {
    return [...a.map((text): DiffLine => ({ op: '-', text })), ...b.map((text): DiffLine => ({ op: '+', text }))];
  }
  const w = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) {
      out.push({ op: '-', text: a[i++]! });
    } else {
      out.push({ op: '+', text: b[j++]! });
    }
  }
  while (i < a.length) out.push({ op: '-', text: a[i++]! });
  while (j < b.length) out.push({ op: '+', text: b[j++]! });
  return out;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
