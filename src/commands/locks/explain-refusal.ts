import { formatDuration } from '../../core/duration.js';
import { OpsError } from '../../core/errors.js';
import { LockRefused, type LockRefusal } from '../../core/lock-refusal.js';

/**
 * Words a backend's refusal for the command line: what happened, and which flag helps next. Any
 * other error passes through unchanged.
 */
export function explainRefusal(e: unknown, nowMs: number): unknown {
  if (!(e instanceof LockRefused)) return e;
  const { message = e.message, hint } = words(e.refusal, nowMs);
  return new OpsError(e.kind, message, hint, e.details);
}

function words(r: LockRefusal, nowMs: number): { message?: string; hint: string } {
  const show = `"opsdeck locks show ${r.name}"`;
  switch (r.reason) {
    case 'held': {
      const facts = [
        ...(r.token === null ? [] : [`token ${r.token}`]),
        ...(r.expiresAt === null ? [] : [`lease ends in ${formatDuration(Date.parse(r.expiresAt) - nowMs)}${r.renewable ? ' unless kept alive' : ''}`]),
      ];
      return {
        message: `lock ${r.name} is held by ${r.holder ?? 'a client ahead in line'}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`,
        hint: r.waited ? `wait longer with a bigger --wait, or see ${show}` : `queue for it with --wait 30s, or inspect it with ${show}`,
      };
    }
    case 'not-holder':
      return {
        message: `lock ${r.name} is held by ${r.holder ?? 'someone else'}, not by ${r.owner}${r.queued ? ` (${r.owner} is only queued for it)` : ''}`,
        hint: r.foreign
          ? 'it was taken by another client (not opsdeck); use --force if that client is gone'
          : `release it as its owner with --owner ${r.holder ?? 'OWNER'}, or use --force if that owner is gone`,
      };
    case 'changed-hands':
      return r.during
        ? { message: `lock ${r.name} changed hands while releasing; nothing was changed`, hint: `look again with ${show}` }
        : { message: `lock ${r.name} changed hands: it is now held by ${r.holder ?? 'nobody'}${r.token == null ? '' : ` (token ${r.token})`}`, hint: `look again with ${show} before forcing` };
    case 'ttl-too-long':
      return { message: r.why, hint: `use --ttl ${Math.floor(r.maxTtlMs / 1000)}s or less, or raise ${r.serverSetting} on the server` };
    case 'owner-too-long':
      return { message: r.why, hint: 'pass a shorter --owner' };
    case 'session-lock':
      return { hint: `inspect it with ${show}; "locks release --force" ends the holder's session` };
  }
}
