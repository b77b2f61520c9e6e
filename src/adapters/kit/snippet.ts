import { redactText } from '../../core/redact.js';

/** How much of an unusable answer a message quotes: enough to recognise a proxy page or a banner. */
const SNIPPET_CHARS = 160;

/**
 * The first characters of what a server sent, fit for a one-line message: secrets masked, runs of
 * whitespace folded, and control characters written as escapes, so a hostile or binary answer can
 * neither break the line nor drive the terminal (ESC, C1 controls, bidi overrides).
 */
export function snippetOf(text: string, max = SNIPPET_CHARS): string {
  if (text === '') return '(empty)';
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return redactText(cut.replace(/[ \t\r\n]+/g, ' ').trim()).replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, escapeChar) || '(blank)';
}

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A byte count as people read limits: whole MiB when it is one, else bytes. */
export function formatBytes(n: number): string {
  return n >= 1048576 && n % 1048576 === 0 ? `${n / 1048576} MiB` : `${n} bytes`;
}
