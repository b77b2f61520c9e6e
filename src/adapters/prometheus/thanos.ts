import { OpsError } from '../../core/errors.js';
import type { MetricsAnswer, StoresData, ThanosParams } from '../../core/metrics.js';
import type { PromOptions } from './options.js';
import { thanosParams, type ThanosEndpoint } from './thanos-options.js';

/** Reads /api/v1/stores (the data already checked as StoresData). */
type Call = (path: 'stores') => Promise<MetricsAnswer<StoresData>>;

export interface ThanosSupport {
  /** The Thanos form parameters for one request; refuses them when the server is a plain Prometheus. */
  params(endpoint: ThanosEndpoint, override?: ThanosParams): Promise<Array<[string, string]>>;
  stores(): Promise<MetricsAnswer<StoresData>>;
}

/**
 * Thanos Query on top of the Prometheus API. A `thanos` profile is trusted; a `prometheus` one is
 * probed once through /api/v1/stores (only Thanos serves it) the first time it matters, and the
 * answer is kept for the adapter's life. A failed probe (server down) is not kept.
 */
export function thanosSupport(o: PromOptions, call: Call): ThanosSupport {
  let known: Promise<boolean> | undefined = o.type === 'thanos' ? Promise.resolve(true) : undefined;

  const detect = (): Promise<boolean> => {
    if (!known) {
      const probe = call('stores').then(
        () => true,
        (e: unknown) => {
          if (isMissingEndpoint(e)) return false;
          known = undefined;
          throw e;
        },
      );
      known = probe;
    }
    return known;
  };

  return {
    async params(endpoint, override) {
      const wanted = thanosParams(o.thanos, override, endpoint);
      if (wanted.length === 0 || (await detect())) return wanted;
      // Prometheus would silently ignore them: better say the profile or the flags are wrong.
      const names = [...new Set(wanted.map(([k]) => k))].join(', ');
      const fromFlags = thanosParams({}, override, endpoint).length > 0;
      throw new OpsError(
        fromFlags ? 'usage' : 'config',
        `${names}: Thanos options, but ${o.url} is a plain Prometheus (it has no /api/v1/stores)`,
        fromFlags ? 'drop the Thanos flags for this server' : 'remove dedup/partialResponse/replicaLabels/maxSourceResolution from the metrics profile, or point url at Thanos Query',
      );
    },
    async stores() {
      try {
        const answer = await call('stores');
        known = Promise.resolve(true);
        return answer;
      } catch (e) {
        if (!isMissingEndpoint(e)) throw e;
        known = Promise.resolve(false);
        throw new OpsError(
          'unsupported',
          o.type === 'thanos' ? `${o.url} has no /api/v1/stores, so it is not Thanos Query although the profile says type: thanos` : `${o.url} is a plain Prometheus, not Thanos Query: it has no store endpoints to list`,
          o.type === 'thanos' ? 'point url at the Thanos Query (querier) HTTP port, not at a sidecar or Prometheus' : 'point the metrics profile at Thanos Query to list its stores',
        );
      }
    },
  };
}

/** Prometheus answers unknown API paths with 404 "404 page not found" (text, not JSON). */
function isMissingEndpoint(e: unknown): boolean {
  return e instanceof OpsError && e.details?.httpStatus === 404;
}
