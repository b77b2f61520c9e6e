import { notFound, type OpsError } from '../../core/errors.js';
import type { InstanceView } from '../../core/registry.js';
import { describeScope } from '../../core/scope.js';
import { readCatalogInstances, readClusterMapNames, readClusterNames, readInstance } from './answers.js';
import type { NacosHttp } from './nacos-http.js';
import type { Where } from './namespaces.js';
import { envelope, legacyJson, refused } from './replies.js';
import type { ApiLevel } from './server-facts.js';

/**
 * Words of Nacos' "no such service" (or cluster) answers: 2.x HTTP 500 `service G@@x is not found!`,
 * 3.x HTTP 400 code 21008 `service not exist`, `cluster c1 is not found!`.
 */
const NO_SERVICE = /is not found|not exist|not found/i;

/**
 * Every instance of one service through the console/admin API, disabled (drained) ones included:
 * the client list APIs hide disabled instances. Both families list one cluster at a time (without
 * a cluster name they list only DEFAULT), so the service detail comes first: it names the
 * clusters, and tells an unknown service. 3.x: `/v3/admin/ns/service`, then
 * `/v3/admin/ns/instance/list` per cluster (no paging). 1.x/2.x: `/v1/ns/catalog/service`, then
 * `/v1/ns/catalog/instances` per cluster, paged.
 */
export async function readInstances(http: NacosHttp, level: ApiLevel, where: Where, service: string, pageSize: number, signal?: AbortSignal): Promise<InstanceView[]> {
  const base = { serviceName: service, groupName: where.group, namespaceId: where.namespace };
  const out: InstanceView[] = [];
  if (level === 'v3') {
    const svcPath = '/v3/admin/ns/service';
    const svc = await http.send({ path: svcPath, query: base, signal });
    const env = envelope(http.client, svc, svcPath);
    if (env.code !== 0) throw NO_SERVICE.test(`${env.message} ${String(env.data)}`) ? noService(http, where, service) : refused(http.client, `read service ${service}`, svc);
    const path = '/v3/admin/ns/instance/list';
    const s = http.shape(path);
    for (const clusterName of readClusterMapNames(http.shape(svcPath), env.data)) {
      const reply = await http.send({ path, query: { ...base, clusterName }, signal });
      const list = envelope(http.client, reply, path);
      // A cluster or service emptied and dropped between the two calls holds no instances.
      if (list.code !== 0 && NO_SERVICE.test(String(list.data))) continue;
      if (list.code !== 0) throw refused(http.client, `list the instances of ${service}`, reply);
      out.push(...s.arrayOf(list.data ?? [], 'data', (item, p) => readInstance(s, item, p, where.group, service, clusterName)));
    }
    return out;
  }
  const svcPath = '/v1/ns/catalog/service';
  const svc = await http.send({ path: svcPath, query: base, signal });
  if (svc.status !== 200 && NO_SERVICE.test(svc.text)) throw noService(http, where, service);
  const clusters = readClusterNames(http.shape(svcPath), legacyJson(http.client, svc, `read service ${service}`));
  const path = '/v1/ns/catalog/instances';
  const s = http.shape(path);
  for (const clusterName of clusters) {
    for (let pageNo = 1; ; pageNo++) {
      const reply = await http.send({ path, query: { ...base, clusterName, pageNo, pageSize }, signal });
      if (reply.status !== 200 && NO_SERVICE.test(reply.text)) break;
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
