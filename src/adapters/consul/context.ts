import type { ConsulHttp } from './consul-http.js';
import type { ConsulOptions } from './options.js';

/** What every part of the adapter shares: the client (token, agents) and the options. */
export interface ConsulContext {
  readonly http: ConsulHttp;
  readonly o: ConsulOptions;
}
