import type { ForceExpectation } from '../../core/subsystems.js';
import type { AcquireResult, LockView } from '../../core/types.js';
import { insertIfAbsent, type Db, type Row } from '../kit/sql/db.js';
import type { TableSpec } from './options.js';
import { iso, readTime, rowByName, rowsByPrefix, writeTime, type Column, type ResolvedTable } from './resolve-table.js';
import { ownerFits, type TableLocks } from './table-locks.js';

type UniqueKeySpec = Extract<TableSpec, { layout: 'unique-key' }>;

/**
 * A home-made lock table whose unique key is the lock name: a row is a held lock. The profile maps
 * the columns; with an expiry column, a row past it is free and can be taken over, without one a
 * lock is held until its row is deleted (and --ttl cannot be kept).
 */
export class UniqueKeyTable implements TableLocks {
  readonly kind = 'unique-key';
  readonly label: string;
  private readonly c: { name: Column; owner: Column; at: Column | null; until: Column | null };
  private readonly tz: string;

  constructor(private readonly db: Db, private readonly t: ResolvedTable, spec: UniqueKeySpec, private readonly backend: string) {
    this.label = t.label;
    this.tz = spec.timeZone;
    const m = spec.columns;
    this.c = { name: t.column(m.name), owner: t.column(m.owner), at: m.acquiredAt ? t.column(m.acquiredAt) : null, until: m.expiresAt ? t.column(m.expiresAt) : null };
  }

  private get cols(): string {
    const { name, owner, at, until } = this.c;
    return `${name.sql} AS n, ${owner.sql} AS o${at ? `, ${at.sql} AS a` : ''}${until ? `, ${until.sql} AS u` : ''}`;
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
    const { name: n, owner: o, at, until } = this.c;
    const cols = [n, o, ...(at ? [at] : []), ...(until ? [until] : [])];
    const values = [name, owner, ...(at ? [writeTime(now, at, this.tz)] : []), ...(until ? [writeTime(now + ttlMs, until, this.tz)] : [])];
    let got = await insertIfAbsent(this.db, `INSERT INTO ${this.t.sql} (${cols.map((c) => c.sql).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, values);
    if (!got && until) {
      // The row exists; it is ours to take only if its expiry has passed.
      const sets = cols.slice(1).map((c) => `${c.sql} = ?`).join(', ');
      got = (await this.db.query(`UPDATE ${this.t.sql} SET ${sets} WHERE ${n.sql} = ? AND ${until.sql} <= ?`, [...values.slice(1), name, writeTime(now, until, this.tz)])).affected === 1;
    }
    return got ? { name, holder: owner, token: at ? String(values[2]) : null, expiresAt: until ? iso(now + ttlMs) : null } : null;
  }

  async release(name: string, owner: string): Promise<boolean> {
    return (await this.db.query(`DELETE FROM ${this.t.sql} WHERE ${this.c.name.sql} = ? AND ${this.c.owner.sql} = ?`, [name, owner])).affected === 1;
  }

  /** Deletes the row only while it has the owner (and acquired-at, where mapped) the user was shown. */
  async force(name: string, expected: ForceExpectation): Promise<boolean> {
    if (expected.holder === null || (this.c.at && expected.token === null)) return false;
    const byTime = this.c.at ? ` AND ${this.c.at.sql} = ?` : '';
    const params = [name, expected.holder, ...(this.c.at ? [String(expected.token)] : [])];
    return (await this.db.query(`DELETE FROM ${this.t.sql} WHERE ${this.c.name.sql} = ? AND ${this.c.owner.sql} = ?${byTime}`, params)).affected === 1;
  }

  checkOwner(owner: string): string | null {
    return ownerFits(owner, this.c.owner.maxLength, this.c.owner.name);
  }

  private view(r: Row, now: number): LockView {
    const at = this.c.at ? readTime(r.a, this.c.at, this.tz) : null;
    const until = this.c.until ? readTime(r.u, this.c.until, this.tz) : null;
    const held = !this.c.until || (until !== null && until > now);
    const owner = r.o === null || r.o === undefined ? null : String(r.o);
    return {
      backend: this.backend,
      name: String(r.n),
      kind: this.kind,
      holder: held ? owner : null,
      acquiredAt: held ? iso(at) : null,
      expiresAt: held ? iso(until) : null,
      ttlMs: held && until !== null ? until - now : null,
      reentrancy: null,
      waiters: null,
      token: held && this.c.at && r.a !== null && r.a !== undefined ? String(r.a) : null,
      details: { table: this.label, ...(held ? {} : { lastHolder: owner, expiredAt: iso(until) }) },
    };
  }
}
