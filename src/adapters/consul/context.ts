import type { WriteOptions } from '../../core/registry.js';
import { withRequestSignal } from '../kit/with-signal.js';
import type { ConsulHttp } from './consul-http.js';
import type { ConsulOptions } from './options.js';

/** What every part of the adapter shares: the client (token, agents) and the options. */
export interface ConsulContext {
  readonly http: ConsulHttp;
  readonly o: ConsulOptions;
}

/** The context whose requests carry the write's signal (Ctrl-C aborts them); the agent cache stays the client's. */
export function signalled(ctx: ConsulContext, o: WriteOptions | undefined): ConsulContext {
  return o?.signal === undefined ? ctx : { ...ctx, http: withRequestSignal(ctx.http, o.signal, ['agentSelf']) };
}
