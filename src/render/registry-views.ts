import { describeScope, type Scope } from '../core/scope.js';
import type { InstanceView, ServiceDetail, ServiceListing, ServiceSummary } from '../core/registry.js';
import { formatDuration } from '../core/duration.js';
import { cell } from './generic.js';
import { backendColumn, coverageLines, scopeColumns } from './scope-columns.js';
import type { Style } from './style.js';
import { textTable, type Column } from './text-table.js';

/** `services list`: one row per service, scope columns from the registries' own kinds. */
export function servicesView(d: ServiceListing, style: Style): string {
  return textTable(d.services, servicesColumns(d), style) + coverageLines(d, style);
}

/** The columns of `services list`, in the CLI table and the services pane alike. */
export function servicesColumns(d: ServiceListing): Array<Column<ServiceSummary>> {
  return [
    ...backendColumn<ServiceSummary>(d),
    ...scopeColumns(d.services),
    { header: 'SERVICE', get: (r) => r.name, paint: (c, _r, s) => s.cyan(c) },
    // Registries that hold several registration layouts (ZooKeeper, etcd) say which one each service uses.
    ...(d.services.some((r) => r.layout !== undefined) ? [{ header: 'LAYOUT', get: (r: ServiceSummary) => r.layout ?? '-' }] : []),
    { header: 'INSTANCES', get: (r) => String(r.instances), align: 'right' },
    { header: 'HEALTHY', get: (r) => `${r.healthy}/${r.instances}`, align: 'right', paint: (c, r, s) => (r.healthy === r.instances ? s.green(c) : r.healthy === 0 ? s.red(c) : s.yellow(c)) },
    { header: 'DRAINED', get: (r) => String(r.disabled), align: 'right', paint: (c, r, s) => (r.disabled > 0 ? s.yellow(c) : s.dim(c)) },
  ];
}

/** `services show` and every command that returns a service: its instances. */
export function serviceView(d: ServiceDetail, style: Style, now: number): string {
  const where = [d.backend, describeScope(d as Scope), d.layout === undefined ? '' : `layout ${d.layout}`].filter(Boolean).join(' · ');
  // A write that went somewhere other than the registry's own address (a Consul agent) says where.
  // Warnings are not repeated here: commands print them on stderr (and keep them in the JSON).
  const sent = d.sentTo === undefined ? '' : `\n${style.dim(`sent to ${d.sentTo}`)}`;
  return `${style.bold(d.name)} ${style.dim(`${where} · ${d.instances.length} instances`)}\n` + textTable(d.instances, instanceColumns(d.instances, now), style) + sent;
}

/** The status word, and whether an operator's override set it (Eureka's OUT_OF_SERVICE after a drain). */
export function statusCell(i: Pick<InstanceView, 'status' | 'statusOverride'>): string {
  return i.statusOverride === null ? cell(i.status) : `${cell(i.status)} (override)`;
}

/** Time left on the lease, or how long ago it ran out (an instance the registry still lists after that is suspect). */
export function leaseCell(i: Pick<InstanceView, 'lease'>, now: number): string {
  if (!i.lease?.expiresAt) return '-';
  const left = Date.parse(i.lease.expiresAt) - now;
  return left >= 0 ? formatDuration(left) : `expired ${formatDuration(-left)} ago`;
}

/** The columns an instance table needs: the address only where ids are not addresses, status and cluster where the registry has them. */
export function instanceColumns(rows: readonly InstanceView[], now: number): Array<Column<InstanceView>> {
  const some = (f: (i: InstanceView) => boolean) => rows.some(f);
  return [
    { header: 'INSTANCE', get: (r) => r.id },
    ...(some((i) => i.id !== `${i.ip}:${i.port}`) ? [{ header: 'ADDRESS', get: (r: InstanceView) => `${r.ip}:${r.port}` }] : []),
    // A registry without weights (Eureka) has none to show.
    ...(some((i) => i.weight !== null) ? [{ header: 'WEIGHT', get: (r: InstanceView) => cell(r.weight), align: 'right' as const }] : []),
    { header: 'HEALTH', get: (r) => r.health, paint: (c, r, s) => (r.health === 'passing' ? s.green(c) : r.health === 'critical' ? s.red(c) : s.yellow(c)) },
    { header: 'TRAFFIC', get: (r) => (r.traffic === 'enabled' ? 'enabled' : 'drained'), paint: (c, r, s) => (r.traffic === 'enabled' ? c : s.yellow(c)) },
    ...(some((i) => i.status !== null) ? [{ header: 'STATUS', get: (r: InstanceView) => statusCell(r), paint: (c: string, r: InstanceView, s: Style) => (r.statusOverride !== null ? s.yellow(c) : c) }] : []),
    ...(some((i) => i.cluster !== null) ? [{ header: 'CLUSTER', get: (r: InstanceView) => cell(r.cluster) }] : []),
    { header: 'EPHEMERAL', get: (r) => (r.ephemeral === null ? '-' : r.ephemeral ? 'yes' : 'no') },
    ...(some((i) => i.lease?.expiresAt != null) ? [{ header: 'LEASE LEFT', get: (r: InstanceView) => leaseCell(r, now), align: 'right' as const, paint: (c: string, r: InstanceView, s: Style) => (r.lease?.expiresAt && Date.parse(r.lease.expiresAt) < now ? s.red(c) : c) }] : []),
    { header: 'METADATA', get: (r) => cell(r.metadata) },
  ];
}
