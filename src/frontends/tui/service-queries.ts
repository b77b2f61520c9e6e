import { OpsError } from '../../core/errors.js';
import type { BackendSpec } from '../../session/profile-types.js';

/** Used when the profile's `metrics:` entry names no `serviceQueries`. */
export const DEFAULT_SERVICE_QUERIES = ['up{{label}="{service}"}', 'sum(rate(http_requests_total{{label}="{service}"}[5m]))'];
export const DEFAULT_SERVICE_LABEL = 'service';

/**
 * The standard queries of one service, for the services → metrics cross-view. They come from the
 * profile's `metrics:` entry (`serviceLabel`, `serviceQueries` with `{service}` and `{label}`
 * placeholders); the adapter ignores these keys, the console reads them. The service name is
 * escaped as a PromQL string, so a name with a quote cannot change the query.
 */
export function serviceQueries(spec: BackendSpec | undefined, service: string): string[] {
  if (!spec) throw new OpsError('config', 'this profile has no metrics backend', 'add  metrics: {type: prometheus, url: http://prometheus:9090}  to the profile');
  const label = spec.serviceLabel ?? DEFAULT_SERVICE_LABEL;
  if (typeof label !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) {
    throw new OpsError('config', `metrics.serviceLabel must be a Prometheus label name, got ${JSON.stringify(label)}`, 'for example  serviceLabel: app');
  }
  const templates = spec.serviceQueries ?? DEFAULT_SERVICE_QUERIES;
  if (!Array.isArray(templates) || templates.length === 0 || !templates.every((t) => typeof t === 'string' && t.trim() !== '')) {
    throw new OpsError('config', 'metrics.serviceQueries must be a list of PromQL strings', 'for example  serviceQueries: [\'up{job="{service}"}\']  ({service} is replaced by the service name)');
  }
  const quoted = JSON.stringify(service).slice(1, -1);
  return (templates as string[]).map((t) => t.replaceAll('{label}', label).replaceAll('{service}', quoted));
}
