import type { InstanceView } from '../../core/registry.js';
import type { AnswerShape } from '../kit/shape.js';

/**
 * DestinationRule subsets, from istiod's /debug/configz (every config object it holds, as
 * Kubernetes-style objects): an instance whose labels carry all of a subset's labels is in that
 * subset, which is what a VirtualService routes by (`reviews` v1 90 %, v2 10 %). Shown as the
 * instance's `istio.subset` metadata. A rule's short host (`reviews`) means the service of that
 * name in the rule's own namespace; a full hostname means that host wherever the rule is.
 */

export interface Subset {
  rule: string;
  name: string;
  labels: Record<string, string>;
}

interface Rule {
  name: string;
  namespace: string;
  host: string;
  subsets: Array<{ name: string; labels: Record<string, string> }>;
}

/** The DestinationRules of a configz answer; other kinds are skipped unread. */
export function readRules(s: AnswerShape, body: unknown): Rule[] {
  return s.arrayOf(body, '', (item, path) => {
    const o = s.object(item, path);
    if (o.kind !== 'DestinationRule') return null;
    const meta = s.obj(o, 'metadata', path);
    const spec = s.obj(o, 'spec', path);
    const sp = `${path}.spec`;
    return {
      name: s.str(meta, 'name', `${path}.metadata`),
      namespace: s.optStr(meta, 'namespace', `${path}.metadata`) ?? '',
      host: s.str(spec, 'host', sp),
      subsets: s.optArr(spec, 'subsets', sp).map((x, i) => {
        const xp = `${sp}.subsets[${i}]`;
        const so = s.object(x, xp);
        const labels = so.labels === undefined || so.labels === null ? {} : s.obj(so, 'labels', xp);
        return { name: s.str(so, 'name', xp), labels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, s.string(v, `${xp}.labels.${k}`)])) };
      }),
    };
  }).filter((r): r is Rule => r !== null);
}

export function subsetsOf(rules: readonly Rule[], svc: { name: string; namespace: string; hostname: string }): Subset[] {
  const short = new Set([svc.name, `${svc.name}.${svc.namespace}`, `${svc.name}.${svc.namespace}.svc`]);
  return rules
    .filter((r) => r.host === svc.hostname || (r.namespace === svc.namespace && short.has(r.host)))
    .flatMap((r) => r.subsets.map((x) => ({ rule: r.name, ...x })));
}

/** The instance with `istio.subset` naming the subsets its labels select (none: unchanged). */
export function withSubsets(view: InstanceView, subsets: readonly Subset[]): InstanceView {
  const names = subsets.filter((x) => Object.keys(x.labels).length > 0 && Object.entries(x.labels).every(([k, v]) => view.metadata[k] === v)).map((x) => x.name);
  return names.length === 0 ? view : { ...view, metadata: { ...view.metadata, 'istio.subset': [...new Set(names)].join(',') } };
}
