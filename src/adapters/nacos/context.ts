import { withRequestSignal } from '../kit/with-signal.js';
import type { NacosHttp } from './nacos-http.js';
import type { Namespaces } from './namespaces.js';
import type { NacosOptions } from './options.js';

/** What every part of the adapter shares: the client (token, probe), the namespaces and the options. */
export interface NacosContext {
  readonly http: NacosHttp;
  readonly namespaces: Namespaces;
  readonly o: NacosOptions;
}

/** The context with the caller's signal on every request (a write's `WriteOptions`). */
export function withSignal(ctx: NacosContext, signal: AbortSignal | undefined): NacosContext {
  // The token, the login and the API probe stay the client's own.
  return signal === undefined ? ctx : { ...ctx, http: withRequestSignal(ctx.http, signal, ['withApi', 'server', 'authenticate']) };
}
