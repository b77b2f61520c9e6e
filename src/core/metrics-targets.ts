/**
 * Which registry instances the embedded scraper collects from, and where. An instance is a target
 * when its metadata names a metrics port or path (or says `prometheus.io/scrape: "true"`); the
 * keys are opsdeck's own (`metrics.*`) or the Prometheus annotations many deployments already
 * carry (`prometheus.io/*`). Pure: the collector asks the registries and hands the instances here.
 */

/** One scrape target: where, how often, and the labels added to every sample from it. */
export interface ScrapeTargetSpec {
  url: string;
  /** Includes `job` and `instance`. */
  labels: Record<string, string>;
  intervalMs?: number;
  /** Where the target came from: the profile's `scrape:` list, a registry, or opsdeck itself. */
  origin: 'profile' | 'registry' | 'self';
}

/** Metadata keys read, first one present wins. Documented in README "Embedded metrics". */
export const METRICS_METADATA_KEYS = {
  port: ['metrics.port', 'prometheus.io/port'],
  path: ['metrics.path', 'prometheus.io/path'],
  scheme: ['metrics.scheme', 'prometheus.io/scheme'],
  /** Where the exporter listens when not on the instance's own ip (a sidecar, a local proxy). */
  host: ['metrics.host'],
  scrape: ['metrics.scrape', 'prometheus.io/scrape'],
} as const;

function first(metadata: Record<string, string>, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = metadata[k];
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/**
 * The target of one registry instance, or null when it exposes no metrics (or says not to scrape
 * it, or its values are unusable). Labels: `job` and `service` are the service name, `instance`
 * the registry address ip:port (so `up` joins the registry in `services drift`).
 */
export function registryTarget(service: string, inst: { ip: string; port: number; metadata: Record<string, string> }): ScrapeTargetSpec | null {
  const md = inst.metadata ?? {};
  const scrape = first(md, METRICS_METADATA_KEYS.scrape);
  const port = first(md, METRICS_METADATA_KEYS.port);
  const path = first(md, METRICS_METADATA_KEYS.path);
  if (scrape !== undefined && !/^(true|1|yes)$/i.test(scrape)) return null;
  if (scrape === undefined && port === undefined && path === undefined) return null;
  const p = port === undefined ? inst.port : Number(port);
  if (!Number.isInteger(p) || p < 1 || p > 65535) return null;
  const scheme = (first(md, METRICS_METADATA_KEYS.scheme) ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return null;
  const host = first(md, METRICS_METADATA_KEYS.host) ?? inst.ip;
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const pathPart = path === undefined ? '/metrics' : path.startsWith('/') ? path : `/${path}`;
  return {
    url: `${scheme}://${hostPart}:${p}${pathPart}`,
    labels: { job: service, service, instance: `${inst.ip}:${inst.port}` },
    origin: 'registry',
  };
}
