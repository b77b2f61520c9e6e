import type { ForceExpectation } from '../../core/subsystems.js';
import type { AcquireResult, LockView } from '../../core/types.js';
import { insertIfAbsent, type Db, type Row } from '../kit/sql/db.js';
import type { TableSpec } from './options.js';
import { iso, readTime, writeTime, type Column, type ResolvedTable } from './resolve-table.js';
import { ownerFits, type TableLocks } from './table-locks.js';
import { springLockKey } from './uuid-v3.js';

type IntLockSpec = Extract<TableSpec, { layout: 'int-lock' }>;

/** Spring writes LocalDateTime.now(UTC) into zone-less columns. */
const UTC = 'UTC';

/**
 * Spring Integration's JdbcLockRegistry table. 7.x keeps the lease in EXPIRED_AFTER; up to 6.5 a
 * lock expires the registry's time-to-live after CREATED_DATE, a setting of the app that the
 * profile repeats (`ttl`). LOCK_KEY is the UUID of the lock name; names listed in `keys` are
 * shown by name, others by their UUID. Rows are deleted on unlock.
 */
export class IntLockTable implements TableLocks {
  readonly kind = 'int-lock';
  readonly label: string;
  readonly version: '6.5' | '7';
  private readonly c: { key: Column; region: Column; client: Column; created: Column; expires: Column | null };
  private readonly known: Map<string, string>;

  constructor(private readonly db: Db, private readonly t: ResolvedTable, private readonly spec: IntLockSpec, private readonly backend: string) {
    this.label = t.label;
    this.version = spec.version ?? (t.has('EXPIRED_AFTER') ? '7' : '6.5');
    this.c = {
      key: t.column('LOCK_KEY'),
      region: t.column('REGION'),
      client: t.column('CLIENT_ID'),
      created: t.column('CREATED_DATE'),
      expires: this.version === '7' ? t.column('EXPIRED_AFTER') : null,
    };
    this.known = new Map(spec.keys.map((k) => [springLockKey(k), k]));
  }

  private get cols(): string {
    const { key, client, created, expires } = this.c;
    return `${key.sql} AS k, ${client.sql} AS c, ${created.sql} AS d${expires ? `, ${expires.sql} AS e` : ''}`;
  }

  async list(prefix: string, limit: number, now: number) {
    // The shown name may be a known key rather than the stored UUID, so the prefix applies after.
    const { rows } = await this.db.query(`SELECT ${this.cols} FROM ${this.t.sql} WHERE ${this.c.region.sql} = ? ORDER BY ${this.c.key.sql} LIMIT ${limit + 1}`, [this.spec.region]);
    const views = rows.slice(0, limit).map((r) => this.view(r, now)).filter((v) => v.name.startsWith(prefix));
    return { views, truncated: rows.length > limit };
  }

  async inspect(name: string, now: number): Promise<LockView | null> {
    const { rows } = await this.db.query(`SELECT ${this.cols} FROM ${this.t.sql} WHERE ${this.c.region.sql} = ? AND ${this.c.key.sql} = ?`, [this.spec.region, springLockKey(name)]);
    return rows[0] ? this.view(rows[0], now, name) : null;
  }

  /** As JdbcLockRegistry does: renew our own row or take over an expired one, else insert. */
  async tryOnce(name: string, owner: string, ttlMs: number, now: number): Promise<AcquireResult | null> {
    const { key, region, client, created, expires } = this.c;
    const lockKey = springLockKey(name);
    const at = writeTime(now, created, UTC);
    let got: boolean;
    let until: number;
    if (expires) {
      until = now + ttlMs;
      // CREATED_DATE first: MySQL evaluates SET left to right, so it must see the old CLIENT_ID.
      got =
        (await this.db.query(
          `UPDATE ${this.t.sql} SET ${created.sql} = CASE WHEN ${client.sql} = ? THEN ${created.sql} ELSE ? END, ${client.sql} = ?, ${expires.sql} = ? WHERE ${region.sql} = ? AND ${key.sql} = ? AND (${client.sql} = ? OR ${expires.sql} < ?)`,
          [owner, at, owner, writeTime(until, expires, UTC), this.spec.region, lockKey, owner, writeTime(now, expires, UTC)],
        )).affected === 1 ||
        (await insertIfAbsent(this.db, `INSERT INTO ${this.t.sql} (${region.sql}, ${key.sql}, ${client.sql}, ${created.sql}, ${expires.sql}) VALUES (?, ?, ?, ?, ?)`, [this.spec.region, lockKey, owner, at, writeTime(until, expires, UTC)]));
    } else {
      // ≤6.5 stores no lease: the lock lasts the registry's ttl from CREATED_DATE, whatever was asked.
      until = now + this.spec.ttlMs;
      got =
        (await this.db.query(
          `UPDATE ${this.t.sql} SET ${client.sql} = ?, ${created.sql} = ? WHERE ${region.sql} = ? AND ${key.sql} = ? AND (${client.sql} = ? OR ${created.sql} < ?)`,
          [owner, at, this.spec.region, lockKey, owner, writeTime(now - this.spec.ttlMs, created, UTC)],
        )).affected === 1 || (await insertIfAbsent(this.db, `INSERT INTO ${this.t.sql} (${region.sql}, ${key.sql}, ${client.sql}, ${created.sql}) VALUES (?, ?, ?, ?)`, [this.spec.region, lockKey, owner, at]));
    }
    return got ? { name, holder: owner, token: null, expiresAt: iso(until) } : null;
  }

  async release(name: string, owner: string): Promise<boolean> {
    const r = await this.db.query(`DELETE FROM ${this.t.sql} WHERE ${this.c.region.sql} = ? AND ${this.c.key.sql} = ? AND ${this.c.client.sql} = ?`, [this.spec.region, springLockKey(name), owner]);
    return r.affected === 1;
  }

  /** Deletes the row only while it has the CLIENT_ID and CREATED_DATE shown. The app's in-JVM lock stays held. */
  async force(name: string, expected: ForceExpectation): Promise<boolean> {
    if (expected.holder === null || expected.token === null) return false;
    const r = await this.db.query(
      `DELETE FROM ${this.t.sql} WHERE ${this.c.region.sql} = ? AND ${this.c.key.sql} = ? AND ${this.c.client.sql} = ? AND ${this.c.created.sql} = ?`,
      [this.spec.region, springLockKey(name), expected.holder, String(expected.token)],
    );
    return r.affected === 1;
  }

  checkOwner(owner: string): string | null {
    return ownerFits(owner, this.c.client.maxLength, this.c.client.name);
  }

  private view(r: Row, now: number, askedAs?: string): LockView {
    const lockKey = String(r.k).trim();
    const created = readTime(r.d, this.c.created, UTC);
    const until = this.c.expires ? readTime(r.e, this.c.expires, UTC) : created === null ? null : created + this.spec.ttlMs;
    const held = until !== null && until > now;
    // CHAR(36) pads with blanks on some servers.
    const client = r.c === null || r.c === undefined ? null : String(r.c).trimEnd();
    const key = this.known.get(lockKey) ?? (askedAs !== undefined && springLockKey(askedAs) === lockKey && askedAs.toLowerCase() !== lockKey ? askedAs : null);
    return {
      backend: this.backend,
      name: key ?? lockKey,
      kind: this.kind,
      holder: held ? client : null,
      acquiredAt: held ? iso(created) : null,
      expiresAt: held ? iso(until) : null,
      ttlMs: held ? until - now : null,
      reentrancy: null,
      // Spring contenders poll every 100 ms; nothing records them.
      waiters: null,
      token: held && r.d !== null ? String(r.d) : null,
      details: {
        table: this.label,
        region: this.spec.region,
        lockKey,
        layout: this.version === '7' ? 'spring-integration 7 (EXPIRED_AFTER)' : `spring-integration ≤6.5 (CREATED_DATE + ${this.spec.ttlMs} ms)`,
        createdDate: iso(created),
        ...(held ? {} : { lastHolder: client, expiredAt: iso(until) }),
      },
    };
  }
}
