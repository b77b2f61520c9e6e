/**
 * Reads a value at a path like `.instances[0].port`, `[0].holder` or `name` (a leading dot is
 * optional). `length` works on arrays and strings. Returns undefined where the path does not exist.
 */
export function readPath(value: unknown, path: string): unknown {
  const steps = parsePath(path);
  let cur: unknown = value;
  for (const step of steps) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof step === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step < 0 ? cur.length + step : step];
    } else if (step === 'length' && (Array.isArray(cur) || typeof cur === 'string')) {
      cur = cur.length;
    } else if (typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, step)) {
      cur = (cur as Record<string, unknown>)[step];
    } else {
      return undefined;
    }
  }
  return cur;
}

export function parsePath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  const re = /\.?([A-Za-z_$][\w$-]*)|\[(-?\d+)\]|\["((?:[^"\\]|\\.)*)"\]/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  const src = path.trim() === '.' ? '' : path.trim();
  while (pos < src.length && (m = re.exec(src)) !== null) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(`"${m[3]}"`) as string);
    pos = re.lastIndex;
  }
  if (pos !== src.length) throw new Error(`cannot read path "${path}" at "${src.slice(pos)}"`);
  return out;
}
