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
  return (templates as string[]).map((t) => fillService(t.replaceAll('{label}', label), service));
}

/**
 * Replaces each `{service}` with the name escaped for the string it sits in: `"…"` and `'…'`
 * each escape their own quote (PromQL, like Go, rejects \' inside "…" and \" inside '…'), and a
 * raw `…` string cannot hold a backtick at all, so such a name is refused rather than let out.
 */
function fillService(template: string, service: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < template.length; i++) {
    if (template.startsWith('{service}', i)) {
      out += escapeFor(quote ?? '"', service);
      i += '{service}'.length - 1;
      continue;
    }
    const ch = template[i]!;
    out += ch;
    if (quote === null) {
      if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    } else if (ch === '\\' && quote !== '`' && i + 1 < template.length) {
      out += template[++i];
    } else if (ch === quote) quote = null;
  }
  return out;
}

function escapeFor(quote: string, value: string): string {
  if (quote === '`') {
    if (value.includes('`')) throw new OpsError('config', `the service name ${JSON.stringify(value)} has a backtick, which a \`…\` PromQL string cannot hold`, 'write {service} inside "…" in metrics.serviceQueries');
    return value;
  }
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}
