import type { InstanceView, ServiceDetail, ServiceListing, ServiceSummary } from '../../core/registry.js';
import { describeScope, SCOPE_KINDS, type Scope } from '../../core/scope.js';
import { cell } from '../../render/generic.js';
import { instanceColumns, servicesColumns } from '../../render/registry-views.js';
import { commandLine } from '../../shell/quote-word.js';
import { driftPlan } from './drift-level.js';
import { levelData, levelId, READ_ONLY_CAP } from './level-id.js';
import type { Level, LoadedView, PaneAction } from './pane-levels.js';
import { paneTable } from './pane-table.js';
import { errorDetail, isErrorRow, scopedRows } from './scoped-rows.js';
import type { Tone } from './state.js';

/** A services row: the summary, and how a command line addresses it and what its registry can do. */
export interface ServiceRow {
  kind: 'service';
  service: ServiceSummary;
  /** `--backend`/`--namespace`/`--group` words where they are needed. */
  address: string[];
  caps: string[];
}

/** What an instances level shows, encoded in its id. */
interface InstancesOf {
  backend: string;
  scope: Scope;
  service: string;
  address: string[];
  caps: string[];
}

const REGISTRY_ACTIONS = ['setTraffic', 'deregister', 'setWeight', 'updateMetadata'];

/** The words of a command line that narrow a listing to the console's scope (`use NAMESPACE`). */
export function scopeWords(scope: Scope): string[] {
  return SCOPE_KINDS.flatMap((k) => (scope[k] === undefined ? [] : [`--${k}`, scope[k]!]));
}

export const servicesTop: Level = {
  async load(reads, _now, scope = {}) {
    const listing = await reads.read<ServiceListing>(['services', 'list', ...scopeWords(scope)]);
    return scopedRows(reads, 'registry', listing, listing.services, servicesColumns(listing), {
      methods: REGISTRY_ACTIONS,
      name: (s) => s.name,
      row: (s, at) => ({
        tone: s.healthy === s.instances ? 'ok' : s.healthy === 0 ? 'bad' : 'warn',
        data: { kind: 'service', service: s, address: at.address, caps: at.caps } satisfies ServiceRow,
      }),
    });
  },
  changes: (reads, signal, scope = {}) => reads.changes({ subsystem: 'registry', scope }, signal),
  enter(row) {
    if (isErrorRow(row)) return errorDetail(row, 'registry');
    const { service: s, address, caps } = row.data as ServiceRow;
    const scope: Scope = {};
    for (const k of SCOPE_KINDS) if (s[k] !== undefined) scope[k] = s[k];
    // The backend is named only where the profile has several (then the line carries --backend).
    const where = [address.includes('--backend') ? s.backend : '', describeScope(scope)].filter(Boolean).join(', ');
    return { kind: 'drill', level: levelId('instances', { backend: s.backend, scope, service: s.name, address, caps } satisfies InstancesOf), title: `${s.name} (${where})`, columns: ['INSTANCE'] };
  },
  actions: [
    { key: 'm', label: 'metrics', mutates: false, plan: (row) => (isErrorRow(row) ? null : { kind: 'metrics', service: (row.data as ServiceRow).service.name }) },
    // Drift is about every registry of the profile, whichever row is selected.
    { key: 'D', label: 'drift', mutates: false, plan: () => driftPlan() },
  ],
};

export function instancesLevel(level: string): Level {
  const at = levelData<InstancesOf>(level);
  const act = (key: string, verb: string, method: string, confirm: (i: InstanceView) => string | null): PaneAction => ({
    key,
    label: verb,
    mutates: true,
    unavailable: () => (at.caps.includes(method) ? null : at.caps.includes(READ_ONLY_CAP) ? `registry ${at.backend} is read-only: it cannot ${verb} instances` : `registry ${at.backend} cannot ${verb} instances`),
    plan: (row) => {
      const i = row.data as InstanceView;
      return { kind: 'command', line: commandLine(['instances', verb, at.service, i.id, ...at.address]), confirm: confirm(i) };
    },
  });
  return {
    async load(reads, now): Promise<LoadedView> {
      const d = await reads.read<ServiceDetail>(['services', 'show', at.service, ...at.address]);
      const table = paneTable(instanceColumns(d.instances, now), d.instances, (i) => ({ key: i.id, tone: toneOf(i), data: i }));
      const warnings = (d.warnings ?? []).map((w) => `${at.backend}: ${w}`);
      return { ...table, ...(warnings.length > 0 ? { warnings } : {}) };
    },
    changes: (reads, signal) => reads.changes({ subsystem: 'registry', backend: at.backend, scope: at.scope, service: at.service }, signal),
    enter(row) {
      const i = row.data as InstanceView;
      return { kind: 'detail', title: `${at.service} ${i.id}`, load: async () => Object.entries({ ...i, metadata: cell(i.metadata), tags: cell(i.tags), lease: cell(i.lease) }).map(([k, v]) => `${k.padEnd(13)} ${cell(v)}`) };
    },
    actions: [
      { key: 'm', label: 'metrics', mutates: false, plan: () => ({ kind: 'metrics', service: at.service }) },
      act('d', 'drain', 'setTraffic', (i) => `Drain ${i.id} of ${at.service}? It stops receiving traffic but stays registered.`),
      act('u', 'undrain', 'setTraffic', (i) => `Undrain ${i.id} of ${at.service}? It starts receiving traffic again.`),
      // Deregistering is destructive: the command itself asks (with the profile name on production).
      act('x', 'deregister', 'deregister', () => null),
    ],
  };
}

/** A critical instance is red; a drained one is dimmed, since it takes no traffic whatever its health. */
function toneOf(i: InstanceView): Tone {
  if (i.health === 'critical') return 'bad';
  if (i.traffic === 'disabled') return 'dim';
  if (i.health === 'warning') return 'warn';
  return i.health === 'passing' ? 'ok' : 'plain';
}

