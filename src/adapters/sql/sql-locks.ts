import { notFound, OpsError, usage } from '../../core/errors.js';
import { refused } from '../../core/lock-refusal.js';
import type { AcquireOptions, ForceExpectation, ListOptions, LockBackend } from '../../core/subsystems.js';
import type { AcquireResult, LockView, ReleaseResult } from '../../core/types.js';
import type { Db } from '../kit/sql/db.js';
import { GET_LOCK, GetLocks } from './get-lock.js';
import { IntLockTable } from './int-lock.js';
import type { SqlOptions, TableSpec } from './options.js';
import { PG_ADVISORY, PgAdvisoryLocks } from './pg-advisory.js';
import { detectTables, resolveTable } from './resolve-table.js';
import { ShedLockTable } from './shedlock.js';
import type { TableLocks } from './table-locks.js';
import { UniqueKeyTable } from './unique-key.js';

const POLL_MS = 100;

/**
 * Every lock of one database: its lock tables (ShedLock, Spring INT_LOCK, unique-key) and the
 * server's own locks (PostgreSQL advisory locks or MySQL GET_LOCK). Table rows keep their names;
 * server locks are named `pg-advisory:KEY` / `get-lock:NAME`. Writes go to the first table unless
 * a name is qualified as `TABLE:NAME`.
 */
export class SqlLocks implements LockBackend {
  readonly name: string;
  private tables: Promise<TableLocks[]> | null = null;
  private readonly advisory: PgAdvisoryLocks | null;
  private readonly getLock: GetLocks | null;

  constructor(private readonly db: Db, private readonly o: SqlOptions) {
    this.name = o.name;
    this.advisory = o.dialect === 'postgres' && o.advisory ? new PgAdvisoryLocks(db, o.name) : null;
    this.getLock = o.dialect === 'mysql' && o.getLock ? new GetLocks(db, o.name) : null;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<LockView[]> {
    const now = Date.now();
    const tables = await this.loadTables();
    const out: LockView[] = [];
    for (const t of tables) {
      const { views, truncated } = await t.list(prefix, this.o.listLimit, now);
      if (truncated) opts.onIncomplete?.(`table ${t.label}: only the first ${this.o.listLimit} rows (listLimit in the profile)`, 'limit');
      out.push(...views);
      opts.onProgress?.(out.length);
    }
    // The same name in two tables: qualify both so each can be addressed.
    const seen = new Map<string, number>();
    for (const v of out) seen.set(v.name, (seen.get(v.name) ?? 0) + 1);
    for (const v of out) if ((seen.get(v.name) ?? 0) > 1) v.name = `${String(v.details?.table)}:${v.name}`;
    if (this.advisory) out.push(...(await this.advisory.list(prefix)));
    if (this.getLock) {
      const why = await this.getLock.unavailable();
      if (why) opts.onIncomplete?.(why, 'misconfigured');
      else out.push(...(await this.getLock.list(prefix)));
    }
    return out;
  }

  async inspect(name: string): Promise<LockView | null> {
    if (this.advisory && name.startsWith(`${PG_ADVISORY}:`)) return this.advisory.inspect(name);
    if (this.getLock && name.startsWith(`${GET_LOCK}:`)) return this.getLock.inspect(name);
    const now = Date.now();
    const target = await this.qualified(name);
    if (target) return target.table.inspect(target.rest, now).then((v) => v && { ...v, name });
    const found: LockView[] = [];
    for (const t of await this.loadTables()) {
      const v = await t.inspect(name, now);
      if (v) found.push(v);
    }
    if (found.length > 1) {
      throw usage(`lock ${name} exists in several tables: ${found.map((v) => String(v.details?.table)).join(', ')}`, `qualify it: ${found.map((v) => `${String(v.details?.table)}:${name}`).join(' or ')}`);
    }
    return found[0] ?? null;
  }

  async tryAcquire(name: string, opts: AcquireOptions): Promise<AcquireResult> {
    this.refuseServerLock(name, 'acquire');
    const { table, rest } = await this.writeTarget(name);
    const tooLong = table.checkOwner(opts.owner);
    if (tooLong) throw refused({ reason: 'owner-too-long', name, owner: opts.owner, why: tooLong });
    const deadline = Date.now() + Math.max(0, opts.waitMs);
    for (;;) {
      const got = await table.tryOnce(rest, opts.owner, opts.ttlMs, Date.now());
      if (got) return { ...got, name };
      if (Date.now() >= deadline || opts.signal?.aborted) {
        const seen = await table.inspect(rest, Date.now());
        throw refused({ reason: 'held', name, holder: seen?.holder ?? 'someone else', token: seen?.token ?? null, expiresAt: seen?.expiresAt ?? null, waited: opts.waitMs > 0 });
      }
      // Contenders poll, as ShedLock and Spring do; jitter keeps them from moving in step.
      await new Promise((r) => setTimeout(r, POLL_MS / 2 + Math.random() * POLL_MS));
    }
  }

  async release(name: string, owner: string): Promise<ReleaseResult> {
    this.refuseServerLock(name, 'release');
    const { table, rest } = await this.writeTarget(name, true);
    if (await table.release(rest, owner, Date.now())) return { name, released: true, remaining: 0, forced: false, previousHolder: owner };
    const seen = await table.inspect(rest, Date.now());
    if (!seen || seen.holder === null) throw notFound(`lock ${name} is not held`, 'nothing to release; "opsdeck locks list" shows the held locks');
    throw refused({ reason: 'not-holder', name, holder: seen.holder, owner });
  }

  async forceRelease(name: string, expected: ForceExpectation): Promise<ReleaseResult> {
    const seen = await this.inspect(name);
    if (!seen || seen.holder === null) throw notFound(`lock ${name} is not held`, 'nothing to release');
    const changed = () => refused({ reason: 'changed-hands', name, holder: seen.holder, token: seen.token, during: false });
    if (expected.holder !== null && seen.holder !== expected.holder) throw changed();
    if (expected.token !== null && seen.token !== null && String(seen.token) !== String(expected.token)) throw changed();
    let done: boolean;
    if (seen.kind === PG_ADVISORY && this.advisory) done = await this.advisory.terminate(name, Number(seen.token));
    else if (seen.kind === GET_LOCK && this.getLock) done = await this.getLock.kill(name, Number(seen.token));
    else {
      const { table, rest } = await this.writeTarget(name, true, seen);
      done = await table.force(rest, { holder: seen.holder, token: seen.token }, Date.now());
    }
    if (!done) throw refused({ reason: 'changed-hands', name, holder: null, during: true });
    return { name, released: true, remaining: 0, forced: true, previousHolder: seen.holder };
  }

  forceImpact(view: LockView): { warning: string; typeToConfirm?: string } | null {
    if (view.kind === PG_ADVISORY) {
      return {
        warning: `This runs pg_terminate_backend(${String(view.token)}): it ends the holder's whole database session (${view.holder}), rolling back its open transaction and dropping every lock it holds, not just this one. The application sees its connection die.`,
        typeToConfirm: view.name,
      };
    }
    if (view.kind === GET_LOCK) {
      return {
        warning: `This runs KILL CONNECTION ${String(view.token)}: it ends the holder's whole database session (${view.holder}), rolling back its open transaction and releasing every lock it holds, not just this one. The application sees its connection die.`,
        typeToConfirm: view.name,
      };
    }
    if (view.kind === 'int-lock') return { warning: "The row is deleted; the holder's JVM keeps its in-process lock and keeps running." };
    return null;
  }

  private refuseServerLock(name: string, what: 'acquire' | 'release'): void {
    if ((this.advisory && name.startsWith(`${PG_ADVISORY}:`)) || (this.getLock && name.startsWith(`${GET_LOCK}:`))) {
      throw refused({ reason: 'session-lock', name, action: what });
    }
  }

  /** `TABLE:NAME` where TABLE is one of the backend's tables. */
  private async qualified(name: string): Promise<{ table: TableLocks; rest: string } | null> {
    const i = name.indexOf(':');
    if (i <= 0) return null;
    const head = name.slice(0, i).toLowerCase();
    const table = (await this.loadTables()).find((t) => t.label.toLowerCase() === head);
    return table ? { table, rest: name.slice(i + 1) } : null;
  }

  /** Where a write goes: the qualified table, the table that has the row (release), or the first. */
  private async writeTarget(name: string, existing = false, seen?: LockView): Promise<{ table: TableLocks; rest: string }> {
    const q = await this.qualified(name);
    if (q) return q;
    const tables = await this.loadTables();
    if (tables.length === 0) {
      throw new OpsError('unsupported', `backend ${this.name} has no lock table to write to`, 'add "tables: [{layout: shedlock, table: shedlock}]" (or int-lock, unique-key) to the profile entry');
    }
    const label = seen?.details?.table;
    if (label !== undefined) return { table: tables.find((t) => t.label === label) ?? tables[0]!, rest: name };
    if (existing) {
      const v = await this.inspect(name);
      if (v) return { table: tables.find((t) => t.label === v.details?.table) ?? tables[0]!, rest: name };
    }
    return { table: tables[0]!, rest: name };
  }

  private loadTables(): Promise<TableLocks[]> {
    this.tables ??= (async () => {
      const specs: TableSpec[] = this.o.tables ?? (await detectTables(this.db, this.o.timeZone));
      const out: TableLocks[] = [];
      for (const spec of specs) {
        const t = await resolveTable(this.db, spec);
        if (spec.layout === 'shedlock') out.push(new ShedLockTable(this.db, t, spec, this.name));
        else if (spec.layout === 'int-lock') out.push(new IntLockTable(this.db, t, spec, this.name));
        else out.push(new UniqueKeyTable(this.db, t, spec, this.name));
      }
      return out;
    })().catch((e: unknown) => {
      // A failure (server down, table missing) must not stick: the next call tries again.
      this.tables = null;
      throw e;
    });
    return this.tables;
  }
}
