import { notFound, type OpsError } from '../../core/errors.js';
import type { InstanceView } from '../../core/registry.js';
import { describeScope } from '../../core/scope.js';
import { readCatalogInstances, readClusterNames, readInstance } from './answers.js';
import type { NacosHttp } from './nacos-http.js';
import type { Where } from './namespaces.js';
import { envelope, legacyJson, refused } from './replies.js';
import type { ApiLevel } from './server-facts.js';

/** Words of Nacos' "no such service" answers (2.x: HTTP 500 `service G@@x is not found!`; 3.x: 404). */
const NO_SERVICE = /is not found|not exist|not found/i;

/**
 * Every instance of one service through the console/admin API, disabled (drained) ones included:
 * the client list APIs hide disabled instances. 3.x: `/v3/admin/ns/instance/list` (all clusters,
 * no paging). 1.x/2.x: `/v1/ns/catalog/service` for the clusters (it also tells an unknown
 * service), then `/v1/ns/catalog/instances` per cluster, paged (it wants a cluster name).
 */
export async function readInstances(http: NacosHttp, level: ApiLevel, where: Where, service: string, pageSize: number, signal?: AbortSignal): Promise<InstanceView[]> {
  const base = { serviceName: service, groupName: where.group, namespaceId: where.namespace };
  if (level === 'v3') {
    const path = '/v3/admin/ns/instance/list';
    const reply = await http.send({ path, query: base, signal });
    if (reply.status === 404) throw noService(http, where, service);
    const env = envelope(http.client, reply, path);
    if (env.code !== 0) throw NO_SERVICE.test(String(env.data)) ? noService(http, where, service) : refused(http.client, `list the instances of ${service}`, reply);
    const s = http.shape(path);
    return s.arrayOf(env.data ?? [], 'data', (item, p) => readInstance(s, item, p, where.group, service));
  }
  const svcPath = '/v1/ns/catalog/service';
  const svc = await http.send({ path: svcPath, query: base, signal });
  if (svc.status !== 200 && NO_SERVICE.test(svc.text)) throw noService(http, where, service);
  const clusters = readClusterNames(http.shape(svcPath), legacyJson(http.client, svc, `read service ${service}`));
  const out: InstanceView[] = [];
  const path = '/v1/ns/catalog/instances';
  const s = http.shape(path);
  for (const clusterName of clusters) {
    for (let pageNo = 1; ; pageNo++) {
      const reply = await http.send({ path, query: { ...base, clusterName, pageNo, pageSize }, signal });
      // A cluster emptied and dropped between the two calls is an empty cluster, not an error.
      if (reply.status !== 200 && /cluster .* is not found/i.test(reply.text)) break;
      const page = readCatalogInstances(s, legacyJson(http.client, reply, `list the instances of ${service}`));
      out.push(...page.items.map((item, i) => readInstance(s, item, `list[${i}]`, where.group, service, clusterName)));
      if (page.items.length < pageSize || pageNo * pageSize >= page.total) break;
    }
  }
  return out;
}

export function noService(http: NacosHttp, where: Where, service: string): OpsError {
  return notFound(`service ${service} (${describeScope(where)}) not found on ${http.where}`, 'services list shows the services of a namespace; names are case-sensitive');
}
