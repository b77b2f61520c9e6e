import { notFound, OpsError } from '../../core/errors.js';
import type { ServiceDetail, ServiceRef, ServiceSummary } from '../../core/registry.js';
import type { Scope } from '../../core/scope.js';
import type { ListOptions } from '../../core/subsystems.js';
import type { HttpReply } from '../kit/http.js';
import { readApplication, readApplications, readInstanceAnswer, type EurekaApplication, type EurekaInstance } from './answers.js';
import type { EurekaHttp } from './eureka-http.js';
import { viewOf } from './instance-view.js';
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
    return new OpsError('bad-answer', `${ctx.http.where} has no Eureka REST API: ${path} answered HTTP 404`, 'the url must be Eureka\'s REST root, as in eureka.client.service-url (usually ending in /eureka)');
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

export async function listServices(ctx: EurekaContext, filter: { scope: Scope; text?: string }, opts: ListOptions = {}): Promise<ServiceSummary[]> {
  const apps = await readRegistry(ctx, opts.signal);
  const now = ctx.now();
  opts.onProgress?.(apps.length);
  // The banner is about the whole registry, whatever the filter shows.
  for (const w of registryWarnings(assessRegistry(apps, now, ctx.o))) opts.onWarning?.(w);
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
 * response cache, so this sees a write at once even where listings lag by up to 30 s. Null when
 * Eureka does not hold it.
 */
export async function readOne(ctx: EurekaContext, app: string, id: string, signal?: AbortSignal): Promise<EurekaInstance | null> {
  const path = instancePath(app, id);
  const reply = await ctx.http.send({ path, signal });
  if (reply.status === 404) return null;
  if (reply.status !== 200) throw ctx.http.refused(`read instance ${id} of ${app}`, reply);
  return readInstanceAnswer(ctx.http.shape(path), ctx.http.json(reply, path));
}

/** The service in the contract's shape, with `fresh` standing in for the listed copy of the instances a write just changed. */
export function detailOf(ctx: EurekaContext, app: EurekaApplication, fresh: readonly EurekaInstance[] = [], gone: readonly string[] = []): ServiceDetail {
  const now = ctx.now();
  const byId = new Map(app.instances.map((i) => [i.id, i]));
  for (const id of gone) byId.delete(id);
  for (const i of fresh) byId.set(i.id, i);
  const instances = [...byId.values()];
  const current: EurekaApplication = { name: app.name, instances };
  return {
    backend: ctx.o.name,
    name: app.name,
    instances: instances.map((i) => viewOf(i, now)),
    warnings: serviceWarnings(expiredInstances([current], now), ctx.o),
  };
}

export async function getService(ctx: EurekaContext, ref: ServiceRef, signal?: AbortSignal): Promise<ServiceDetail> {
  return detailOf(ctx, await readApp(ctx, ref.name, signal));
}
