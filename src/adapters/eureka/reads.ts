import { notFound, OpsError } from '../../core/errors.js';
import type { ServiceDetail, ServiceRef, ServiceSummary } from '../../core/registry.js';
import type { Scope } from '../../core/scope.js';
import type { ListOptions } from '../../core/subsystems.js';
import type { HttpReply } from '../kit/http.js';
import { readApplication, readApplications, readInstanceAnswer, type EurekaApplication, type EurekaInstance } from './answers.js';
import type { EurekaHttp } from './eureka-http.js';
import { isExpired, viewOf } from './instance-view.js';
import type { EurekaOptions } from './options.js';
import { assessRegistry, expiredInstances, registryWarnings, serviceWarnings } from './self-preservation.js';

/** What the reads and writes share: the client, the profile entry, and the clock leases are judged by. */
export interface EurekaContext {
  http: EurekaHttp;
  o: EurekaOptions;
  now(): number;
}

/** An application's path segment: Eureka stores names upper-cased and matches them in any case. */
export const appPath = (name: string) => `/apps/${encodeURIComponent(name)}`;
export const instancePath = (app: string, id: string) => `${appPath(app)}/${encodeURIComponent(id)}`;

/**
 * Proves the url is Eureka's REST root by asking for the delta (small: the changes of the last few
 * minutes). Spring answers both "no such application" and "no such path" with the same 404 JSON,
 * so a lookup that got 404 asks this to tell an unknown service from a url without /eureka.
 */
export async function assertApi(ctx: EurekaContext, signal?: AbortSignal): Promise<void> {
  const path = '/apps/delta';
  const reply = await ctx.http.send({ path, signal });
  if (reply.status !== 200) throw noApi(ctx, path, reply);
  const s = ctx.http.shape(path);
  s.obj(s.object(ctx.http.json(reply, path)), 'applications');
}

function noApi(ctx: EurekaContext, path: string, reply: HttpReply): OpsError {
  if (reply.status === 404) {
    // A url that is not Eureka's REST root is the profile's mistake (exit 2), as Nacos' missing context path is.
    return new OpsError('config', `${ctx.http.where} has no Eureka REST API: ${path} answered HTTP 404`, 'the url must be Eureka\'s REST root, as in eureka.client.service-url (usually ending in /eureka)');
  }
  return ctx.http.refused(`answer ${path}`, reply);
}

/** The whole registry, full (compact answers carry no leases or metadata). */
export async function readRegistry(ctx: EurekaContext, signal?: AbortSignal): Promise<EurekaApplication[]> {
  const path = '/apps';
  const reply = await ctx.http.send({ path, signal });
  if (reply.status !== 200) throw noApi(ctx, path, reply);
  return readApplications(ctx.http.shape(path), ctx.http.json(reply, path));
}

/** How many instances a command reads one by one at the same time. */
const READS_AT_ONCE = 8;

/**
 * The listed instances that `pick` selects, replaced by copies read one by one from the registry
 * (at most maxInstanceReads, READS_AT_ONCE at a time); one Eureka no longer holds is dropped.
 *
 * Eureka serves `/apps` and `/apps/{APP}` from a cache that renewals do not invalidate (only
 * registrations, cancellations and status changes do, or its 180-second expiry), so a listed
 * instance's lease times can be minutes old: an instance that renews every second looks expired
 * there (docs/dev/eureka-facts.md §4). A listed copy is never newer than the registry's, so an
 * instance whose listed lease has not run out has not run out; only those that look expired
 * need reading, unless the command shows the lease times themselves.
 */
async function freshen(ctx: EurekaContext, apps: EurekaApplication[], pick: (i: EurekaInstance) => boolean, signal?: AbortSignal): Promise<{ apps: EurekaApplication[]; unread: number }> {
  const wanted = apps.flatMap((a) => a.instances.filter(pick).map((i) => ({ app: a.name, id: i.id })));
  const reading = wanted.slice(0, ctx.o.maxInstanceReads);
  const fresh = new Map<string, EurekaInstance | null>();
  const key = (app: string, id: string) => `${app}\u0000${id}`;
  let next = 0;
  const worker = async () => {
    while (next < reading.length) {
      const { app, id } = reading[next++]!;
      fresh.set(key(app, id), await readOne(ctx, app, id, signal));
    }
  };
  await Promise.all(Array.from({ length: Math.min(READS_AT_ONCE, reading.length) }, worker));
  const out = apps.map((a) => ({
    name: a.name,
    instances: a.instances.flatMap((i) => {
      const k = key(a.name, i.id);
      if (!fresh.has(k)) return [i];
      const f = fresh.get(k);
      return f ? [f] : [];
    }),
  }));
  return { apps: out.filter((a) => a.instances.length > 0), unread: wanted.length - reading.length };
}

/** What is shown as Eureka's cached listing has it: "12 instances looked expired in Eureka's cached listing and were not read one by one …". */
function unreadNote(unread: number, what: string): string[] {
  if (unread === 0) return [];
  return [`${unread === 1 ? '1 instance' : `${unread} instances`} ${what} Eureka's cached listing and ${unread === 1 ? 'was' : 'were'} not read one by one, so ${unread === 1 ? 'its lease times are' : 'their lease times are'} from that listing (raise maxInstanceReads in the profile to read them)`];
}

export async function listServices(ctx: EurekaContext, filter: { scope: Scope; text?: string }, opts: ListOptions = {}): Promise<ServiceSummary[]> {
  const listed = await readRegistry(ctx, opts.signal);
  opts.onProgress?.(listed.length);
  const { apps, unread } = await freshen(ctx, listed, (i) => isExpired(i, ctx.now()), opts.signal);
  const now = ctx.now();
  // The banner is about the whole registry, whatever the filter shows.
  for (const w of [...registryWarnings(assessRegistry(apps, now, ctx.o)), ...unreadNote(unread, 'looked expired in')]) opts.onWarning?.(w);
  const text = filter.text?.toLowerCase();
  return apps
    .filter((a) => text === undefined || a.name.toLowerCase().includes(text))
    .map((a) => {
      const views = a.instances.map((i) => viewOf(i, now));
      return { backend: ctx.o.name, name: a.name, instances: views.length, healthy: views.filter((v) => v.health === 'passing').length, disabled: views.filter((v) => v.traffic === 'disabled').length };
    })
    .sort((x, y) => x.name.localeCompare(y.name));
}

/** One application as Eureka lists it (from its response cache, when the server has one on). */
export async function readApp(ctx: EurekaContext, name: string, signal?: AbortSignal): Promise<EurekaApplication> {
  const path = appPath(name);
  const reply = await ctx.http.send({ path, signal });
  if (reply.status === 404) {
    await assertApi(ctx, signal);
    throw notFound(`service ${name} is not registered in ${ctx.http.where}`, 'run "opsdeck services list" to see the services');
  }
  if (reply.status !== 200) throw ctx.http.refused(`read service ${name}`, reply);
  return readApplication(ctx.http.shape(path), ctx.http.json(reply, path));
}

/**
 * One instance read from the registry itself: Eureka serves `GET /apps/{APP}/{ID}` without its
 * response cache, so this sees a write or a renewal at once where listings lag (their lease times
 * by minutes). Null when
 * Eureka does not hold it.
 */
export async function readOne(ctx: EurekaContext, app: string, id: string, signal?: AbortSignal): Promise<EurekaInstance | null> {
  const path = instancePath(app, id);
  const reply = await ctx.http.send({ path, signal });
  if (reply.status === 404) return null;
  if (reply.status !== 200) throw ctx.http.refused(`read instance ${id} of ${app}`, reply);
  return readInstanceAnswer(ctx.http.shape(path), ctx.http.json(reply, path));
}

/**
 * One service with every instance read one by one (within maxInstanceReads): its lease times,
 * status and metadata as the registry holds them now, not as Eureka's cached listing last saw them.
 * `known` are instances the caller has just read (a write's read-back): they stand as they are,
 * and are there even when the listing was cached before they registered (up to 30 s where the
 * server's read-only response cache is on, which also holds back instances registered since).
 */
export async function freshDetail(ctx: EurekaContext, listed: EurekaApplication, known: readonly EurekaInstance[] = [], signal?: AbortSignal): Promise<ServiceDetail> {
  const ids = new Set(known.map((i) => i.id));
  const { apps, unread } = await freshen(ctx, [listed], (i) => !ids.has(i.id), signal);
  const others = (apps[0]?.instances ?? []).filter((i) => !ids.has(i.id));
  const app = { name: listed.name, instances: [...others, ...known] };
  const now = ctx.now();
  return {
    backend: ctx.o.name,
    name: app.name,
    instances: app.instances.map((i) => viewOf(i, now)),
    warnings: [...serviceWarnings(expiredInstances([app], now), ctx.o), ...unreadNote(unread, 'are shown as in')],
  };
}

export async function getService(ctx: EurekaContext, ref: ServiceRef, signal?: AbortSignal): Promise<ServiceDetail> {
  const detail = await freshDetail(ctx, await readApp(ctx, ref.name, signal), [], signal);
  // Every instance went since the listing was cached: Eureka holds no such service any more.
  if (detail.instances.length === 0) throw notFound(`service ${ref.name} is not registered in ${ctx.http.where} (its last instances went a moment ago)`, 'run "opsdeck services list" to see the services');
  return detail;
}
