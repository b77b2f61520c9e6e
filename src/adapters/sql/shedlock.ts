import type { ForceExpectation } from '../../core/subsystems.js';
import type { AcquireResult, LockView } from '../../core/types.js';
import { insertIfAbsent, type Db, type Row } from '../kit/sql/db.js';
import type { TableSpec } from './options.js';
import { iso, readTime, rowByName, rowsByPrefix, writeTime, type Column, type ResolvedTable } from './resolve-table.js';
import { ownerFits, type TableLocks } from './table-locks.js';

/**
 * ShedLock's table (name PK, lock_until, locked_at, locked_by). Held ⇔ lock_until > now, on the
 * app's clock; times are wall clocks in the app's zone unless the column keeps instants. Rows
 * stay after unlock, so a row whose lock_until has passed is a FREE lock with a last holder.
 */
export class ShedLockTable implements TableLocks {
  readonly kind = 'shedlock';
  readonly label: string;
  private readonly c: { name: Column; until: Column; at: Column; by: Column };
  private readonly tz: string;

  constructor(private readonly db: Db, private readonly t: ResolvedTable, spec: Extract<TableSpec, { layout: 'shedlock' }>, private readonly backend: string) {
    this.label = t.label;
    this.tz = spec.timeZone;
    this.c = { name: t.column('name'), until: t.column('lock_until'), at: t.column('locked_at'), by: t.column('locked_by') };
  }

  private get cols(): string {
    const { name, until, at, by } = this.c;
    return `${name.sql} AS n, ${until.sql} AS u, ${at.sql} AS a, ${by.sql} AS b`;
  }

  async list(prefix: string, limit: number, now: number) {
    const { rows, truncated } = await rowsByPrefix(this.db, this.t, this.cols, this.c.name, prefix, limit);
    return { views: rows.map((r) => this.view(r, now)), truncated };
  }

  async inspect(name: string, now: number): Promise<LockView | null> {
    const row = await rowByName(this.db, this.t, this.cols, this.c.name, name);
    return row ? this.view(row, now) : null;
  }

  async tryOnce(name: string, owner: string, ttlMs: number, now: number): Promise<AcquireResult | null> {
    const { name: n, until, at, by } = this.c;
    const lockUntil = writeTime(now + ttlMs, until, this.tz);
    const lockedAt = writeTime(now, at, this.tz);
    // ShedLock's own two steps: insert the row, or take it over where the lease has run out.
    const got =
      (await insertIfAbsent(this.db, `INSERT INTO ${this.t.sql} (${n.sql}, ${until.sql}, ${at.sql}, ${by.sql}) VALUES (?, ?, ?, ?)`, [name, lockUntil, lockedAt, owner])) ||
      (await this.db.query(`UPDATE ${this.t.sql} SET ${until.sql} = ?, ${at.sql} = ?, ${by.sql} = ? WHERE ${n.sql} = ? AND ${until.sql} <= ?`, [lockUntil, lockedAt, owner, name, writeTime(now, until, this.tz)])).affected === 1;
    return got ? { name, holder: owner, token: String(lockedAt), expiresAt: iso(now + ttlMs) } : null;
  }

  async release(name: string, owner: string, now: number): Promise<boolean> {
    // ShedLock's unlock: the row stays, its lease ends now.
    const t = writeTime(now, this.c.until, this.tz);
    const r = await this.db.query(`UPDATE ${this.t.sql} SET ${this.c.until.sql} = ? WHERE ${this.c.name.sql} = ? AND ${this.c.by.sql} = ? AND ${this.c.until.sql} > ?`, [t, name, owner, t]);
    return r.affected === 1;
  }

  async force(name: string, expected: ForceExpectation, now: number): Promise<boolean> {
    if (expected.holder === null || expected.token === null) return false;
    const t = writeTime(now, this.c.until, this.tz);
    const r = await this.db.query(
      `UPDATE ${this.t.sql} SET ${this.c.until.sql} = ? WHERE ${this.c.name.sql} = ? AND ${this.c.by.sql} = ? AND ${this.c.at.sql} = ? AND ${this.c.until.sql} > ?`,
      [t, name, expected.holder, String(expected.token), t],
    );
    return r.affected === 1;
  }

  checkOwner(owner: string): string | null {
    return ownerFits(owner, this.c.by.maxLength, this.c.by.name);
  }

  private view(r: Row, now: number): LockView {
    const until = readTime(r.u, this.c.until, this.tz);
    const at = readTime(r.a, this.c.at, this.tz);
    const held = until !== null && until > now;
    const by = r.b === null || r.b === undefined ? null : String(r.b);
    return {
      backend: this.backend,
      name: String(r.n),
      kind: this.kind,
      holder: held ? by : null,
      acquiredAt: held ? iso(at) : null,
      expiresAt: held ? iso(until) : null,
      ttlMs: held ? until - now : null,
      reentrancy: null,
      // ShedLock contenders poll; nothing records them.
      waiters: null,
      token: held && r.a !== null ? String(r.a) : null,
      details: { table: this.label, lockUntil: iso(until), lockedAt: iso(at), ...(held ? {} : { lastHolder: by }), timeZone: this.tz },
    };
  }
}
