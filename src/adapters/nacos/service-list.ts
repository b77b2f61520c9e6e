import type { ServiceSummary } from '../../core/registry.js';
import type { Scope } from '../../core/scope.js';
import type { ListOptions } from '../../core/subsystems.js';
import { readCatalogPage, readPage, readServicesWithHosts, type ServiceRow } from './answers.js';
import type { NacosContext } from './context.js';
import type { NacosHttp } from './nacos-http.js';
import type { NacosOptions } from './options.js';
import { envelopeData, legacyJson } from './replies.js';

/**
 * Services of one namespace (or of all, when none is given), paged within `maxServices`: a
 * listing stopped by the bound says so through `onIncomplete` and never fetches a page past it.
 * Names match `text` case-insensitively (Nacos' own name filter is case-sensitive, so the
 * filtering is done here).
 *
 * 3.x: one pass over `/v3/admin/ns/service/list?withInstances=true`, whose items carry their
 * instances, so the disabled count is exact. 1.x/2.x: the catalog's list with instances
 * (`withInstances=true`) gives the disabled counts but leaves out services without instances and
 * has no total; the count list (`withInstances=false`) has every service and the total. One page
 * of the count list tells whether the list with instances is complete (no empty services); only
 * when it is not, or when `maxServices` cuts the listing, is the count list read in full.
 */
export async function listServices(ctx: NacosContext, filter: { scope: Scope; text?: string }, opts: ListOptions = {}): Promise<ServiceSummary[]> {
  const { http, namespaces, o } = ctx;
  const ids = filter.scope.namespace !== undefined ? [await namespaces.resolve(filter.scope.namespace)] : (await namespaces.list()).map((n) => n.id);
  const text = filter.text?.toLowerCase();
  const out: ServiceSummary[] = [];
  const budget = { left: o.maxServices, scanned: 0, stopped: false };
  for (const namespace of ids) {
    if (budget.stopped) break;
    const rows = await http.withApi((level) => (level === 'v3' ? pagesV3(http, o, namespace, filter.scope.group, budget, opts) : pagesLegacy(http, o, namespace, filter.scope.group, budget, opts)));
    for (const r of rows) {
      if (filter.scope.group !== undefined && r.group !== filter.scope.group) continue;
      if (text !== undefined && !r.name.toLowerCase().includes(text)) continue;
      out.push({ backend: o.name, namespace, group: r.group, name: r.name, instances: r.instances, healthy: r.healthy, disabled: r.disabled ?? 0 });
    }
  }
  if (budget.stopped) opts.onIncomplete?.(`listed the first ${o.maxServices} services only (maxServices in the profile)`, 'limit');
  return out;
}

interface Budget {
  left: number;
  scanned: number;
  stopped: boolean;
}

/** Takes a page's rows within the budget; marks the listing stopped when the bound cuts it. */
function spend<T>(budget: Budget, rows: T[], more: boolean, opts: ListOptions): T[] {
  const kept = rows.slice(0, budget.left);
  budget.left -= kept.length;
  budget.scanned += kept.length;
  opts.onProgress?.(budget.scanned);
  if (budget.left === 0 && (kept.length < rows.length || more)) budget.stopped = true;
  return kept;
}

/**
 * Page requests in flight at once, so that round trips to a distant server and the server's work
 * on one page (tens of milliseconds for 500 services with their instances) overlap the client's
 * parsing of another. On loopback it gains little: against a 2.5.1 holding 10,000 services, on a
 * loaded 2-core machine, one process reading the 20 pages with 1, 2, 4 and 8 in flight took 2.2,
 * 1.4, 1.0 and 1.2 s in that order, then 0.9 s again with 1 (docs/dev/nacos-facts.md, section 11).
 */
const PAGE_CONCURRENCY = 4;

/**
 * Reads pages `from`..`to` with at most PAGE_CONCURRENCY requests at once and hands each to
 * `take` in page order, as soon as it and every page before it are in (so progress is reported
 * as the listing goes). The first failure stops further requests and is what this rejects with.
 */
async function readPagesInOrder<T>(from: number, to: number, read: (pageNo: number) => Promise<T>, take: (page: T, pageNo: number) => void): Promise<void> {
  const got = new Map<number, T>();
  let next = from;
  let handed = from;
  let failed = false;
  const worker = async () => {
    while (!failed && next <= to) {
      const pageNo = next++;
      try {
        got.set(pageNo, await read(pageNo));
      } catch (e) {
        failed = true;
        throw e;
      }
      for (let page = got.get(handed); page !== undefined; page = got.get(handed)) {
        got.delete(handed);
        take(page, handed++);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(0, Math.min(PAGE_CONCURRENCY, to - from + 1)) }, worker));
}

/** How many pages hold `rows` rows (at least one: an empty listing still answers page 1). */
const pagesFor = (rows: number, pageSize: number) => Math.max(1, Math.ceil(rows / pageSize));

async function pagesV3(http: NacosHttp, o: NacosOptions, namespaceId: string, group: string | undefined, budget: Budget, opts: ListOptions): Promise<ServiceRow[]> {
  const path = '/v3/admin/ns/service/list';
  const s = http.shape(path);
  const read = async (pageNo: number) => {
    const query = { pageNo, pageSize: o.pageSize, namespaceId, groupNameParam: group, withInstances: true };
    const page = readPage(s, envelopeData(http.client, await http.send({ path, query, signal: opts.signal }), path, 'list services'));
    return { total: page.total, rows: readServicesWithHosts(s, page.items, 'data.pageItems') };
  };
  const out: ServiceRow[] = [];
  let more = true;
  const take = (page: { total: number; rows: ServiceRow[] }, pageNo: number) => {
    if (!more || budget.left === 0) return;
    more = page.rows.length === o.pageSize && pageNo * o.pageSize < page.total;
    out.push(...spend(budget, page.rows, more, opts));
  };
  const first = await read(1);
  // Page 1 tells how many there are: the pages within the budget are read a few at a time.
  const last = pagesFor(Math.min(first.total, budget.left), o.pageSize);
  take(first, 1);
  if (more && budget.left > 0) await readPagesInOrder(2, last, read, take);
  // Services registered while the listing ran can add pages past the count of page 1.
  for (let pageNo = last + 1; more && budget.left > 0; pageNo++) take(await read(pageNo), pageNo);
  return out;
}

async function pagesLegacy(http: NacosHttp, o: NacosOptions, namespaceId: string, group: string | undefined, budget: Budget, opts: ListOptions): Promise<ServiceRow[]> {
  const path = '/v1/ns/catalog/services';
  const s = http.shape(path);
  const query = (pageNo: number, withInstances: boolean) => ({ pageNo, pageSize: o.pageSize, namespaceId, groupNameParam: group, withInstances });
  const countPage = async (pageNo: number) => readCatalogPage(s, legacyJson(http.client, await http.send({ path, query: query(pageNo, false), signal: opts.signal }), 'list services'));
  const hostPage = async (pageNo: number) => readServicesWithHosts(s, legacyJson(http.client, await http.send({ path, query: query(pageNo, true), signal: opts.signal }), 'list services with their instances'), '');
  const key = (r: { group: string; name: string }) => `${r.group}@@${r.name}`;
  // Every path below needs both first pages: ask for them together.
  const [first, firstHosts] = await Promise.all([countPage(1), hostPage(1)]);
  const withHosts = new Map<string, ServiceRow>();
  let hostsDone = false;
  const takeHosts = (items: ServiceRow[]) => {
    if (hostsDone) return;
    for (const r of items) withHosts.set(key(r), r);
    // The list with instances has no total; it ends with a short page.
    if (items.length < o.pageSize) hostsDone = true;
  };
  takeHosts(firstHosts);
  /** Host pages up to `pages` (it holds no more services than the count list, so no more pages). */
  const readHosts = async (pages: number) => {
    if (!hostsDone) await readPagesInOrder(2, pages, hostPage, takeHosts);
  };
  if (first.total <= budget.left) {
    // Most namespaces have no empty services: then the list with instances is the whole answer.
    await readHosts(pagesFor(first.total, o.pageSize));
    // Services registered while the listing ran can add pages.
    for (let pageNo = pagesFor(first.total, o.pageSize) + 1; !hostsDone && withHosts.size < first.total; pageNo++) takeHosts(await hostPage(pageNo));
    if (withHosts.size === first.total) return spend(budget, [...withHosts.values()], false, opts);
  }
  const rows: ServiceRow[] = [];
  let pages = 0;
  for (let pageNo = 1; budget.left > 0; pageNo++) {
    const page = pageNo === 1 ? first : await countPage(pageNo);
    pages = pageNo;
    const more = page.rows.length === o.pageSize && pageNo * o.pageSize < page.total;
    rows.push(...spend(budget, page.rows, more, opts));
    if (!more) break;
  }
  // The list with instances leaves out services without instances, so a service sits at the same
  // place or earlier than in the count list: as many pages as that one read cover every one it kept.
  await readHosts(pages);
  // Services absent from it have no instances, so none disabled.
  return rows.map((r) => ({ ...r, disabled: withHosts.get(key(r))?.disabled ?? 0 }));
}
