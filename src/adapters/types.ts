import type { Adapter } from '../core/subsystems.js';

/** What the session hands every adapter besides its own options. */
export interface AdapterContext {
  dataDir: string;
  version: string;
  /** A label for the backend column: the profile entry's name, or its type. */
  name: string;
  /** The profile's `type` (one module may serve several, e.g. prometheus and thanos). */
  type?: string;
  /** The subsystem being connected (the embedded backend serves metrics apart from the rest). */
  subsystem?: string;
}

export type Connect = (options: Record<string, unknown>, ctx: AdapterContext) => Promise<Adapter>;
