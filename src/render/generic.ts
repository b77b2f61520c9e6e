import type { Style } from './style.js';
import { textTable } from './text-table.js';

/** Fallback rendering: arrays of records as a table, records as aligned "key  value" lines. */
export function renderGeneric(data: unknown, style: Style): string {
  if (Array.isArray(data)) {
    if (data.every((d) => d !== null && typeof d === 'object' && !Array.isArray(d))) {
      const keys = [...new Set(data.flatMap((d) => Object.keys(d as object)))];
      return textTable(data as Record<string, unknown>[], keys.map((k) => ({ header: k.toUpperCase(), get: (r) => cell(r[k]) })), style);
    }
    return data.map(cell).join('\n');
  }
  if (data !== null && typeof data === 'object') {
    const entries = Object.entries(data).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return style.dim('(none)');
    const w = Math.max(...entries.map(([k]) => k.length));
    return entries.map(([k, v]) => `${style.dim(k.padEnd(w))}  ${cell(v)}`).join('\n');
  }
  return cell(data);
}

export function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(cell).join(',');
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}=${cell(x)}`).join(',');
  return String(v);
}
