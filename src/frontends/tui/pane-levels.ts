import { formatDuration } from '../../core/duration.js';
import type { ConfigSummary, ConfigVersion, InstanceView, LockView, ServiceSummary } from '../../core/types.js';
import { cell } from '../../render/generic.js';
import type { Session } from '../../session/session.js';
import { listEachLockBackend } from '../../commands/locks/list.js';
import { commandLine } from '../../shell/quote-word.js';
import { txTop } from './tx-level.js';
import type { PaneId, PaneRow, PaneView } from './state.js';

/**
 * What a key on a pane row does. Mutations are always command lines, so history and recordings see
 * them. `confirm` is the pane's own question, for changes whose command does not ask; destructive
 * commands ask themselves when they run.
 */
export type Plan =
  | { kind: 'command'; line: string; confirm: string | null }
  | { kind: 'drill'; level: string; title: string; columns: string[] }
  | { kind: 'detail'; title: string; load(session: Session): Promise<string[]> }
  | { kind: 'edit-config'; namespace: string; group: string; dataId: string }
  /** The services → metrics cross-view: the metrics pane with the service's standard queries. */
  | { kind: 'metrics'; service: string };

export interface PaneAction {
  key: string;
  label: string;
  mutates: boolean;
  plan(row: PaneRow, me: string): Plan | null;
}

export interface Level {
  load(session: Session, now: number): Promise<PaneRow[]>;
  /** The least time between automatic reloads; listings that SCAN a shared server ask for more. */
  minRefreshMs?(session: Session): number;
  enter?(row: PaneRow): Plan | null;
  actions: PaneAction[];
}

const DEFAULT_NS = 'public';
const DEFAULT_GROUP = 'DEFAULT_GROUP';

/** --namespace/--group words, omitted when they are the defaults so lines stay short. */
function scope(namespace: string, group: string): string[] {
  return [...(namespace !== DEFAULT_NS ? ['--namespace', namespace] : []), ...(group !== DEFAULT_GROUP ? ['--group', group] : [])];
}

function splitLevel(level: string): string[] {
  return level.slice(level.indexOf(':') + 1).split('\u0000');
}

export function levelId(kind: string, ...parts: string[]): string {
  return `${kind}:${parts.join('\u0000')}`;
}

const servicesTop: Level = {
  async load(session) {
    const rows = await (await session.registry()).listServices({});
    return rows.map((s: ServiceSummary) => ({
      key: `${s.namespace}/${s.group}/${s.name}`,
      cells: [s.namespace, s.group, s.name, String(s.instances), `${s.healthy}/${s.instances}`],
      tone: s.healthy === s.instances ? 'ok' : s.healthy === 0 ? 'bad' : 'warn',
      data: s,
    }));
  },
  enter(row) {
    const s = row.data as ServiceSummary;
    return { kind: 'drill', level: levelId('instances', s.namespace, s.group, s.name), title: `${s.name} (${s.namespace})`, columns: ['INSTANCE', 'WEIGHT', 'HEALTHY', 'TRAFFIC', 'EPHEMERAL', 'METADATA'] };
  },
  actions: [{ key: 'm', label: 'metrics', mutates: false, plan: (row) => ({ kind: 'metrics', service: (row.data as ServiceSummary).name }) }],
};

function instancesLevel(namespace: string, group: string, service: string): Level {
  const act = (verb: string, label: string, confirm: (i: InstanceView) => string | null): PaneAction => ({
    key: verb === 'drain' ? 'd' : verb === 'undrain' ? 'u' : 'x',
    label,
    mutates: true,
    plan: (row) => {
      const i = row.data as InstanceView;
      return { kind: 'command', line: commandLine(['instances', verb, service, `${i.ip}:${i.port}`, ...scope(namespace, group)]), confirm: confirm(i) };
    },
  });
  return {
    async load(session) {
      const d = await (await session.registry()).getService({ namespace, group, service });
      return d.instances.map((i) => ({
        key: i.id,
        cells: [i.id, String(i.weight), i.healthy ? 'yes' : 'no', i.enabled ? 'enabled' : 'drained', i.ephemeral ? 'yes' : 'no', cell(i.metadata)],
        tone: !i.healthy ? 'bad' : !i.enabled ? 'warn' : 'ok',
        data: i,
      }));
    },
    enter(row) {
      const i = row.data as InstanceView;
      return { kind: 'detail', title: `${service} ${i.id}`, load: async () => Object.entries({ ...i, metadata: cell(i.metadata) }).map(([k, v]) => `${k.padEnd(10)} ${String(v)}`) };
    },
    actions: [
      { key: 'm', label: 'metrics', mutates: false, plan: () => ({ kind: 'metrics', service }) },
      act('drain', 'drain', (i) => `Drain ${i.id} of ${service}? It stops receiving traffic but stays registered.`),
      act('undrain', 'undrain', (i) => `Undrain ${i.id} of ${service}? It starts receiving traffic again.`),
      // Deregistering is destructive: the command itself asks (with the profile name on production).
      act('deregister', 'deregister', () => null),
    ],
  };
}

const configTop: Level = {
  async load(session) {
    const rows = await (await session.config()).list({});
    return rows.map((c: ConfigSummary) => ({
      key: `${c.namespace}/${c.group}/${c.dataId}`,
      cells: [c.namespace, c.group, c.dataId, c.type, String(c.version), c.md5.slice(0, 12)],
      tone: 'plain',
      data: c,
    }));
  },
  enter(row) {
    const c = row.data as ConfigSummary;
    return {
      kind: 'detail',
      title: `${c.dataId} (${c.group}, ${c.namespace})`,
      load: async (session) => {
        const item = await (await session.config()).get({ namespace: c.namespace, group: c.group, dataId: c.dataId });
        return [`version ${item.version} · ${item.type} · md5 ${item.md5}`, '', ...item.content.replace(/\n$/, '').split('\n')];
      },
    };
  },
  actions: [
    {
      key: 'e',
      label: 'edit',
      mutates: true,
      plan: (row) => {
        const c = row.data as ConfigSummary;
        return { kind: 'edit-config', namespace: c.namespace, group: c.group, dataId: c.dataId };
      },
    },
    {
      key: 'h',
      label: 'history',
      mutates: false,
      plan: (row) => {
        const c = row.data as ConfigSummary;
        return { kind: 'drill', level: levelId('history', c.namespace, c.group, c.dataId), title: `history of ${c.dataId}`, columns: ['VERSION', 'OP', 'MD5', 'UPDATED'] };
      },
    },
  ],
};

function historyLevel(namespace: string, group: string, dataId: string): Level {
  const ref = { namespace, group, dataId };
  return {
    async load(session, now) {
      const backend = await session.config();
      if (!backend.history) throw new Error('this config backend keeps no history');
      const rows = await backend.history(ref);
      return rows.map((v: ConfigVersion) => ({
        key: String(v.version),
        cells: [String(v.version), v.op, v.md5.slice(0, 12), `${formatDuration(now - Date.parse(v.updatedAt))} ago`],
        tone: v.op === 'delete' ? 'bad' : v.op === 'rollback' ? 'warn' : 'plain',
        data: v,
      }));
    },
    enter(row) {
      const v = row.data as ConfigVersion;
      return {
        kind: 'detail',
        title: `${dataId} version ${v.version}`,
        load: async (session) => {
          const backend = await session.config();
          const item = backend.getVersion ? await backend.getVersion(ref, v.version) : null;
          return item ? [`version ${v.version} · ${v.op} · ${v.updatedAt}`, '', ...item.content.replace(/\n$/, '').split('\n')] : ['(content not available)'];
        },
      };
    },
    actions: [
      {
        key: 'r',
        label: 'roll back to this',
        mutates: true,
        plan: (row) => {
          const v = row.data as ConfigVersion;
          return { kind: 'command', line: commandLine(['config', 'rollback', dataId, '--to', String(v.version), ...scope(namespace, group)]), confirm: `Roll ${dataId} back to version ${v.version}? Listeners receive that content as a new version.` };
        },
      },
    ],
  };
}

/** The row a lock backend that could not be listed gets in the locks pane. */
interface BackendError {
  backend: string;
  error: { message: string; hint?: string | undefined };
}
const isBackendError = (row: PaneRow): boolean => typeof row.data === 'object' && row.data !== null && 'error' in row.data;

const locksTop: Level = {
  // Listing Redis locks is a SCAN of the keyspace: every 2 s on a production server is load the
  // on-call engineer did not ask for. The embedded store is cheap to read.
  minRefreshMs: (session) => (session.profile.locks.every((l) => l.type === 'embedded') ? 0 : 10_000),
  async load(session, now) {
    // Each backend on its own: one that is down becomes a red row naming it, the others still show.
    const listings = await listEachLockBackend(session, '');
    return listings.flatMap(({ backend, views, error }): PaneRow[] => [
      ...views.map((l: LockView): PaneRow => ({
        key: `${l.backend}/${l.name}`,
        cells: [l.backend, l.name, l.holder ?? '(free)', cell(l.token), l.expiresAt ? formatDuration(Date.parse(l.expiresAt) - now) : '-', l.waiters === null ? '?' : String(l.waiters.length)],
        tone: l.holder === null ? 'dim' : (l.waiters?.length ?? 0) > 0 ? 'warn' : 'plain',
        data: l,
      })),
      ...(error ? [{ key: `${backend}/\u0000error`, cells: [backend, '(not listed)', error.message, '-', '-', '-'], tone: 'bad' as const, data: { backend, error } satisfies BackendError }] : []),
    ]);
  },
  enter(row) {
    if (isBackendError(row)) {
      const { backend, error } = row.data as BackendError;
      return { kind: 'detail', title: `lock backend ${backend}`, load: async () => [`backend    ${backend}`, `error      ${error.message}`, ...(error.hint ? [`next step  ${error.hint}`] : [])] };
    }
    const l = row.data as LockView;
    return {
      kind: 'detail',
      title: `lock ${l.name}`,
      load: async () => [
        ...Object.entries({ backend: l.backend, kind: l.kind, holder: l.holder, token: l.token, reentrancy: l.reentrancy, acquiredAt: l.acquiredAt, expiresAt: l.expiresAt, ttlMs: l.ttlMs }).map(([k, v]) => `${k.padEnd(11)} ${cell(v)}`),
        '',
        l.waiters === null ? 'waiters    (this store does not record them)' : `waiters    ${l.waiters.length}`,
        ...(l.waiters ?? []).map((w, i) => `  ${i + 1}. ${w.owner}  since ${w.since ?? '?'}  gives up ${w.until ?? '?'}`),
      ],
    };
  },
  actions: [
    {
      key: 'r',
      label: 'release (mine)',
      mutates: true,
      plan: (row, me) => {
        if (isBackendError(row)) return null;
        const l = row.data as LockView;
        return { kind: 'command', line: commandLine(['locks', 'release', l.name, '--owner', me, '--backend', l.backend]), confirm: null };
      },
    },
    {
      key: 'f',
      label: 'force release',
      mutates: true,
      plan: (row) => {
        if (isBackendError(row)) return null;
        const l = row.data as LockView;
        if (l.holder === null) return null;
        return {
          kind: 'command',
          line: commandLine(['locks', 'release', l.name, '--force', '--owner', l.holder, '--backend', l.backend]),
          // The command asks itself, naming the token, the lease left and what forcing breaks.
          confirm: null,
        };
      },
    },
  ],
};

// The metrics pane draws its own model (metrics-state.ts, MetricsPane.tsx), not rows.
const metricsTop: Level = {
  load: async () => [],
  actions: [],
};

/** The loader and actions of the view a pane is showing. */
export function levelOf(pane: PaneId, view: Pick<PaneView, 'level'>): Level {
  if (view.level.startsWith('instances:')) {
    const [ns, group, name] = splitLevel(view.level) as [string, string, string];
    return instancesLevel(ns, group, name);
  }
  if (view.level.startsWith('history:')) {
    const [ns, group, dataId] = splitLevel(view.level) as [string, string, string];
    return historyLevel(ns, group, dataId);
  }
  return { services: servicesTop, config: configTop, locks: locksTop, metrics: metricsTop, tx: txTop }[pane];
}
