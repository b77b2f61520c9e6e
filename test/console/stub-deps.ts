import type { ControllerDeps } from '../../src/frontends/tui/controller.js';
import { stubDeps as stubFor } from '../helpers/controller-stub.js';

/** The shared controller stub, taking the store among the overrides (the namespace tests' form). */
export function stubDeps(d: Pick<ControllerDeps, 'store'> & Partial<ControllerDeps>): ControllerDeps {
  return stubFor(d.store, d);
}
