import { OpsError, type ErrorKind } from './errors.js';

/**
 * Why a lock backend refused an acquire or a release, as facts. Backends report these; the lock
 * commands word them for the user, naming the flags that help (`--wait`, `--owner`, `--force`),
 * so no adapter knows the command line.
 */
export type LockRefusal =
  /** Acquire: another owner holds it (or is ahead in line) and the wait, if there was one, ran out. */
  | {
      reason: 'held';
      name: string;
      /** null: nobody holds it, but a client ahead in line gets it first. */
      holder: string | null;
      token: number | string | null;
      expiresAt: string | null;
      /** Whether the acquire queued for it (a --wait above zero) before giving up. */
      waited: boolean;
      /** The lease is renewed by its holder while it lives (etcd sessions). */
      renewable?: boolean;
    }
  /** Release as an owner: someone else holds it. */
  | {
      reason: 'not-holder';
      name: string;
      holder: string | null;
      owner: string;
      /** The owner is only queued for the lock. */
      queued?: boolean;
      /** The holder is a client whose owner id opsdeck cannot release as (not written by opsdeck). */
      foreign?: boolean;
    }
  /** Force release: the holder is no longer the one the user was shown, or changed during the release. */
  | { reason: 'changed-hands'; name: string; holder: string | null; token?: number | string | null; during: boolean }
  /** Acquire: the backend cannot hold a lease this long (a ZooKeeper server's maxSessionTimeout). */
  | { reason: 'ttl-too-long'; name: string; maxTtlMs: number; why: string; serverSetting: string }
  /** Acquire: the owner id does not fit where the store keeps it (a column's width). */
  | { reason: 'owner-too-long'; name: string; owner: string; why: string }
  /** Acquire or release as an owner: a database server lock belongs to the session that took it. */
  | { reason: 'session-lock'; name: string; action: 'acquire' | 'release' };

/** The error a backend throws for a refusal: the facts, a plain message, and the kind that sets the exit code. */
export class LockRefused extends OpsError {
  constructor(readonly refusal: LockRefusal) {
    super(kindOf(refusal), plainMessage(refusal), undefined, { ...refusal });
    this.name = 'LockRefused';
  }
}

export function refused(refusal: LockRefusal): LockRefused {
  return new LockRefused(refusal);
}

function kindOf(r: LockRefusal): ErrorKind {
  if (r.reason === 'ttl-too-long' || r.reason === 'owner-too-long') return 'usage';
  return r.reason === 'session-lock' ? 'unsupported' : 'conflict';
}

/** Said when no command words the refusal (a direct caller of the backend). */
function plainMessage(r: LockRefusal): string {
  switch (r.reason) {
    case 'held':
      return `lock ${r.name} is held by ${r.holder ?? 'a client ahead in line'}`;
    case 'not-holder':
      return `lock ${r.name} is held by ${r.holder ?? 'someone else'}, not by ${r.owner}`;
    case 'changed-hands':
      return r.during ? `lock ${r.name} changed hands while releasing; nothing was changed` : `lock ${r.name} changed hands: it is now held by ${r.holder ?? 'nobody'}`;
    case 'ttl-too-long':
    case 'owner-too-long':
      return r.why;
    case 'session-lock':
      return `opsdeck cannot ${r.action} ${r.name}: a server lock belongs to the database session that took it, and only that session can ${r.action} it`;
  }
}
