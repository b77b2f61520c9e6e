import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LockView } from '../../src/core/types.js';
import { opsdeck, sandbox, type RunResult } from '../helpers/cli.js';
import { createMysqlDb, createPgDb, type TestDb } from '../servers/sql-db.js';
import { buildJar, LineProcess, writeProfiles } from './support.js';

/**
 * Interop with real ShedLock (JdbcTemplateLockProvider) and real Spring Integration
 * JdbcLockRegistry on the machine's PostgreSQL and MariaDB: a Java program
 * (test/interop/sql-locks/) takes locks the way applications do and reads each row back; opsdeck
 * must report the same holder and times from the same tables, show a ShedLock lock as free once
 * ShedLock unlocked it, and force-release a ShedLock lock so that ShedLock can take it again.
 *
 * The JVMs run in Asia/Tokyo while the machine and both servers run in UTC: ShedLock (by default)
 * and the JDBC drivers write TIMESTAMP columns as the JVM's wall clock, so opsdeck only gets the
 * instants right through the profile's timeZone option. Spring Integration writes UTC whatever
 * the JVM's zone.
 */

const MODULE = resolve(__dirname, 'sql-locks');
/** One build per Spring Integration line: 6.5 (no EXPIRED_AFTER) and 7.1 (EXPIRED_AFTER). */
const LINES = ['si6', 'si7'] as const;
type Line = (typeof LINES)[number];
const jar = (line: Line) => join(MODULE, 'target', line, 'sql-locks-interop.jar');
const APP_ZONE = 'Asia/Tokyo';
/** Spring Integration's lock TTL in the Java program (SqlLocks.SPRING_TTL). */
const SPRING_TTL_MS = 120_000;
const JVM_TEST_MS = 120_000;

type View = LockView & { details?: Record<string, any> };
type Engine = 'postgres' | 'mysql';
const ENGINES: Array<{ engine: Engine; label: string }> = [
  { engine: 'postgres', label: 'PostgreSQL' },
  { engine: 'mysql', label: 'MariaDB' },
];

/** One database per engine and Spring Integration line, each with its own JVM. */
interface Target {
  engine: Engine;
  line: Line;
  /** The lock backend's name in the profile. */
  backend: string;
  db: TestDb;
  jvm: LineProcess;
  hello: any;
}

const targets: Target[] = [];
let box: ReturnType<typeof sandbox>;

const target = (engine: Engine, line: Line) => targets.find((t) => t.engine === engine && t.line === line)!;

/** Sends one command to the Java program and waits for its reply; an ERROR reply fails the test. */
async function send(t: Target, command: string, reply: string, deadlineMs = 60_000): Promise<any> {
  const from = t.jvm.events.length;
  t.jvm.child.stdin.write(command + '\n');
  const until = Date.now() + deadlineMs;
  for (;;) {
    const got = t.jvm.events.slice(from).find((e) => e.tag === reply || e.tag === 'ERROR');
    if (got?.tag === 'ERROR') throw new Error(`${t.backend}: ${command}: ${got.data.message}`);
    if (got) return got.data;
    if (t.jvm.child.exitCode !== null || Date.now() > until) {
      // A tag the program never prints: next() then fails with its stdout and stderr, which say why.
      return t.jvm.next(`${reply}_AFTER_${command.split(' ')[0]!.toUpperCase().replace(/-/g, '_')}`, 0);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Profiles: `detect` finds the tables itself; `mapped` names them, with Spring's keys and 6.5 ttl. */
type ProfileName = 'detect' | 'mapped';
function run(profile: ProfileName, ...args: string[]): RunResult {
  return opsdeck(box.env, ['--profile', profile, ...args]);
}

const springKey = (engine: Engine, line: Line) => `orders/42-${engine}-${line}`;

/** An ISO instant cut to milliseconds, as opsdeck reports times (Spring writes microseconds). */
const millis = (iso: string) => new Date(iso.replace(/(\.\d{3})\d*/, '$1')).toISOString();

/** `locks show NAME -o json`, the view from one backend (null when that backend has no row). */
function show(t: Target, name: string, profile: ProfileName = 'detect'): View | null {
  const r = run(profile, 'locks', 'show', name, '-o', 'json');
  if (r.code !== 0) {
    // Held nowhere: opsdeck says so and exits non-zero; anything else is a failure.
    expect(r.stderr, r.stdout).toMatch(/not held/);
    return null;
  }
  return r.json<{ locks: View[] }>().locks.find((v) => v.backend === t.backend) ?? null;
}

function list(t: Target, profile: ProfileName = 'detect'): View[] {
  const r = run(profile, 'locks', 'list', '-o', 'json');
  expect(r.code, r.stderr).toBe(0);
  return r.json<{ locks: View[] }>().locks.filter((v) => v.backend === t.backend);
}

/** The wall clock of an instant in a zone, as "YYYY-MM-DD HH:MM:SS.mmm" (how the servers print it). */
function wallClock(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${parts.fractionalSecond}`;
}

/** The same database as the JDBC drivers name it. */
function jdbcUrl(db: TestDb): string {
  const scheme = db.dialect === 'postgres' ? 'postgresql' : 'mariadb';
  return `jdbc:${scheme}://${db.host}:${db.port}/${db.name}?user=${encodeURIComponent(db.user)}`;
}

/** PostgreSQL prints "00:57:02.79" for .790 (and no fraction for .000); MariaDB always three digits. */
const padMillis = (text: string) => text.replace(/^(.{19})(?:\.(\d+))?$/, (_, whole: string, frac = '') => `${whole}.${(frac + '000').slice(0, 3)}`);

beforeAll(async () => {
  // Two builds of one module, one per Spring Integration line (Maven profiles si6 and si7).
  for (const line of LINES) buildJar(MODULE, jar(line), [`-P${line}`]);
  box = sandbox();
  for (const { engine } of ENGINES) {
    for (const line of LINES) {
      const db = engine === 'postgres' ? await createPgDb() : await createMysqlDb();
      const jvm = new LineProcess(`sql-locks ${engine} ${line}`, 'java', [`-Duser.timezone=${APP_ZONE}`, '-jar', jar(line), jdbcUrl(db)]);
      targets.push({ engine, line, backend: `${engine === 'postgres' ? 'pg' : 'maria'}-${line}`, db, jvm, hello: null });
    }
  }
  await Promise.all(
    targets.map(async (t) => {
      t.hello = await t.jvm.next('HELLO', 90_000);
      await send(t, 'schema', 'SCHEMA');
    }),
  );
  const backend = (t: Target) => ({ type: t.engine, name: t.backend, url: t.db.url, timeZone: APP_ZONE });
  writeProfiles(box.env, {
    detect: { locks: targets.map(backend) },
    mapped: {
      locks: targets.map((t) => ({
        ...backend(t),
        tables: [
          { layout: 'shedlock', table: 'shedlock' },
          { layout: 'int-lock', table: 'INT_LOCK', ttl: `${SPRING_TTL_MS / 1000}s`, keys: [springKey(t.engine, t.line)] },
        ],
      })),
    },
  });
}, 600_000);

afterAll(async () => {
  await Promise.all(targets.map((t) => t.jvm.stop()));
  await Promise.all(targets.map((t) => t.db.drop()));
  box?.cleanup();
});

describe('the Java side', () => {
  it('runs the intended framework versions and creates the layouts they document', () => {
    for (const t of targets) {
      expect(t.hello).toMatchObject({ line: t.line, timeZone: APP_ZONE });
      expect(t.hello.product).toBe(t.engine === 'postgres' ? 'PostgreSQL' : 'MariaDB');
      expect(t.hello.springIntegration).toMatch(t.line === 'si6' ? /^6\.5\./ : /^7\./);
    }
  });
});

const PAIRS = ENGINES.flatMap((e) => LINES.map((line) => ({ ...e, line })));

describe.each(PAIRS)('ShedLock ($line) on $label', ({ engine, line }) => {
  it('opsdeck shows the holder and times ShedLock wrote, then free once ShedLock unlocks', async () => {
    const t = target(engine, line);
    const name = `report-job-${engine}-${line}`;
    const locked = await send(t, `shed-lock app1 ${name} 300`, 'SHED_LOCKED');
    const row = locked.row;
    expect(row.lockedBy).toBe(t.hello.hostname);
    expect(row.lockUntil).toBe(locked.lockAtMostUntil);
    // The table holds the JVM's wall clock, not UTC: without the profile's timeZone the times would be 9 h off.
    expect(padMillis(row.lockUntilText)).toBe(wallClock(row.lockUntil, APP_ZONE));
    expect(padMillis(row.lockedAtText)).toBe(wallClock(row.lockedAt, APP_ZONE));

    const v = show(t, name);
    expect(v).toMatchObject({ backend: t.backend, name, holder: t.hello.hostname, acquiredAt: row.lockedAt, expiresAt: row.lockUntil, waiters: null });
    expect(v!.kind).toBe('shedlock');
    // Named in the profile instead of detected: the same reading.
    expect(show(t, name, 'mapped')).toMatchObject({ name, holder: t.hello.hostname, acquiredAt: row.lockedAt, expiresAt: row.lockUntil });
    const listed = list(t).filter((x) => x.name === name);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ holder: t.hello.hostname, acquiredAt: row.lockedAt, expiresAt: row.lockUntil });

    // ShedLock's unlock keeps the row and sets lock_until to now: opsdeck must call that free.
    const unlocked = await send(t, `shed-unlock app1 ${name}`, 'SHED_UNLOCKED');
    expect(unlocked.row).toMatchObject({ lockedBy: t.hello.hostname });
    expect(Date.parse(unlocked.row.lockUntil)).toBeLessThanOrEqual(Date.now());
    // The row is still there, so opsdeck shows it, as free, with ShedLock's last holder.
    expect(show(t, name)).toMatchObject({ name, kind: 'shedlock', holder: null, expiresAt: null, details: { lastHolder: t.hello.hostname } });
    expect(list(t).filter((x) => x.name === name && x.holder !== null)).toEqual([]);
  }, JVM_TEST_MS);

  it('a force release by opsdeck lets another ShedLock instance take the lock', async () => {
    const t = target(engine, line);
    const name = `stuck-job-${engine}-${line}`;
    const held = await send(t, `shed-lock app1 ${name} 600`, 'SHED_LOCKED');
    // app2 tries while app1 holds it; from then on app2's provider knows the row exists and only
    // UPDATEs it, as a second application instance would.
    await send(t, `shed-lock app2 ${name} 60`, 'SHED_BUSY');

    const r = run('detect', 'locks', 'release', name, '--force', '--yes', '--backend', t.backend, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ name, released: true, forced: true, previousHolder: held.row.lockedBy });
    expect(show(t, name)).toMatchObject({ name, holder: null, details: { lastHolder: held.row.lockedBy } });
    const audit = readFileSync(join(box.env.XDG_STATE_HOME!, 'opsdeck', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.filter((a) => a.command === 'locks release' && a.args?.name === name)).toEqual([
      expect.objectContaining({ profile: 'detect', exitCode: 0, forced: true, previousHolder: held.row.lockedBy }),
    ]);

    const again = await send(t, `shed-lock app2 ${name} 60`, 'SHED_LOCKED');
    expect(Date.parse(again.row.lockedAt)).toBeGreaterThan(Date.parse(held.row.lockedAt));
    expect(show(t, name)).toMatchObject({ holder: t.hello.hostname, acquiredAt: again.row.lockedAt, expiresAt: again.row.lockUntil });
  }, JVM_TEST_MS);
});

describe.each(PAIRS)('Spring Integration JdbcLockRegistry ($line) on $label', ({ engine, line }) => {
  it('opsdeck shows the registry client id as holder, by key where it knows the key, else by the stored UUID', async () => {
    const t = target(engine, line);
    const key = springKey(engine, line);
    const locked = await send(t, `spring-lock ${key}`, 'SPRING_LOCKED');
    const row = locked.row;
    expect(row).toMatchObject({ clientId: t.hello.clientId, region: 'DEFAULT', lockKey: locked.lockKey });
    // LOCK_KEY is a name-based (version 3) UUID of the key; the key itself is not stored.
    expect(row.lockKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row.lockKey).not.toBe(key);
    const created = millis(row.createdDate);
    // 7.x stores the lease; up to 6.5 it is the registry's time-to-live after CREATED_DATE, which
    // only the profile can tell opsdeck (ttl: 120s, as the Java program configures the registry).
    const expires = line === 'si7' ? millis(row.expiredAfter) : new Date(Date.parse(created) + SPRING_TTL_MS).toISOString();
    if (line === 'si7') expect(Date.parse(row.expiredAfter) - Date.parse(row.createdDate)).toBe(SPRING_TTL_MS);
    else expect(row.expiredAfter).toBeUndefined();

    // With the key in the profile (tables: int-lock keys), listing and showing use the key.
    const mapped = list(t, 'mapped').filter((v) => v.holder === t.hello.clientId);
    expect(mapped).toHaveLength(1);
    expect(mapped[0]).toMatchObject({ backend: t.backend, name: key, kind: 'int-lock', holder: t.hello.clientId, acquiredAt: created, expiresAt: expires });
    expect(show(t, key, 'mapped')).toMatchObject({ name: key, holder: t.hello.clientId, acquiredAt: created, expiresAt: expires });

    // Without it, a listing can only show the UUID (it is a hash); asked by key, opsdeck hashes the key.
    const detected = list(t).filter((v) => v.name === row.lockKey);
    expect(detected).toHaveLength(1);
    const asked = show(t, key);
    expect(asked).toMatchObject({ name: key, kind: 'int-lock' });
    for (const v of [detected[0]!, asked!]) {
      if (line === 'si7') {
        expect(v).toMatchObject({ holder: t.hello.clientId, acquiredAt: created, expiresAt: expires });
      } else if (v.holder !== null) {
        // Spring's default time-to-live (10 s) unless the profile says otherwise; once it has
        // passed, another registry may take the lock, so opsdeck must call it free.
        expect(v).toMatchObject({ holder: t.hello.clientId, acquiredAt: created, expiresAt: new Date(Date.parse(created) + 10_000).toISOString() });
      } else {
        expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(created) + 10_000);
      }
    }

    await send(t, `spring-unlock ${key}`, 'SPRING_UNLOCKED');
    expect(show(t, key, 'mapped')).toBeNull();
    expect(list(t).filter((v) => v.name === row.lockKey)).toEqual([]);
  }, JVM_TEST_MS);
});
