import type { Health, InstanceView, Traffic } from '../../core/registry.js';
import type { KubeService, ServiceEntry, SliceEndpoint, WorkloadEntry } from './kube-answers.js';

/**
 * The Kubernetes API's objects as instances. Pure, so the mapping is tested on data.
 *
 * EndpointSlice conditions (discovery.k8s.io/v1): ready is what a Service routes to; a terminating
 * pod may still be serving (its old connections finish) but gets no new ones, so it is drained
 * here, with health warning while it serves and critical once it does not. Not ready and not
 * terminating is critical. An unset ready means unknown, which the API asks consumers to read as
 * ready. A WorkloadEntry is healthy unless istiod's health check set its Healthy condition false.
 */

function base(ip: string, port: number, state: { health: Health; traffic: Traffic; status: string | null }, more: Partial<InstanceView>): InstanceView {
  return {
    id: `${ip}:${port}`,
    ip,
    port,
    ...state,
    statusOverride: null,
    weight: null,
    ephemeral: null,
    cluster: null,
    metadata: {},
    tags: [],
    urls: {},
    lastHeartbeat: null,
    lease: null,
    ...more,
    healthy: state.health === 'passing',
    enabled: state.traffic === 'enabled',
  };
}

export function sliceState(e: Pick<SliceEndpoint, 'ready' | 'serving' | 'terminating'>): { health: Health; traffic: Traffic; status: string } {
  if (e.terminating === true) return e.serving === false ? { health: 'critical', traffic: 'disabled', status: 'terminating' } : { health: 'warning', traffic: 'disabled', status: 'terminating, serving' };
  if (e.ready === false) return { health: 'critical', traffic: 'enabled', status: e.serving === true ? 'not ready, serving' : 'not ready' };
  return { health: 'passing', traffic: 'enabled', status: 'ready' };
}

export function sliceView(e: SliceEndpoint, port: number, portName: string): InstanceView {
  const metadata: Record<string, string> = {};
  if (e.zone) metadata.zone = e.zone;
  if (e.nodeName) metadata.nodeName = e.nodeName;
  if (e.pod) metadata.pod = e.pod;
  if (e.hostname) metadata.hostname = e.hostname;
  if (portName) metadata.port = portName;
  return base(e.address, port, sliceState(e), { metadata });
}

function entryState(healthy: boolean | null): { health: Health; traffic: Traffic; status: string | null } {
  if (healthy === false) return { health: 'critical', traffic: 'enabled', status: 'unhealthy' };
  return { health: 'passing', traffic: 'enabled', status: healthy === true ? 'healthy' : null };
}

export function workloadEntryView(w: WorkloadEntry, port: number, portName: string): InstanceView {
  const metadata: Record<string, string> = { ...w.labels, workloadEntry: w.name };
  if (w.serviceAccount) metadata.serviceAccount = w.serviceAccount;
  if (w.locality) metadata.locality = w.locality;
  if (w.network) metadata.network = w.network;
  if (portName) metadata.port = portName;
  return base(w.address, port, entryState(w.healthy), { metadata, weight: w.weight > 0 ? w.weight : null });
}

export function seEndpointView(e: ServiceEntry['endpoints'][number], port: number, portName: string): InstanceView {
  const metadata: Record<string, string> = { ...e.labels };
  if (e.locality) metadata.locality = e.locality;
  if (e.network) metadata.network = e.network;
  if (portName) metadata.port = portName;
  return base(e.address, port, entryState(null), { metadata, weight: e.weight > 0 ? e.weight : null });
}

/** Whether every label of the selector is on the object (an empty selector selects nothing, as Istio reads it). */
export function selects(selector: Record<string, string> | null, labels: Record<string, string>): boolean {
  if (selector === null) return false;
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

/** The port a WorkloadEntry serves a Service port on: its own mapping by port name, else the Service's target port, else the port. */
export function entryPort(w: Pick<WorkloadEntry, 'ports'>, p: KubeService['ports'][number]): number {
  if (p.name && w.ports[p.name] !== undefined) return w.ports[p.name]!;
  return typeof p.targetPort === 'number' ? p.targetPort : p.port;
}
