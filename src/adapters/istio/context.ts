import type { IstioHttp } from './istio-http.js';
import type { IstioOptions } from './options.js';

/** What the reads share: the clients and the profile entry. */
export interface IstioContext {
  http: IstioHttp;
  o: IstioOptions;
}

/** Why every write is refused: said by every mutating command (RegistryBackend.readOnly). */
export const READ_ONLY_REASON = "Istio's registry is fed by Kubernetes (Services, pods, EndpointSlices) and Istio objects (ServiceEntry, WorkloadEntry), not by clients: change those with kubectl";
