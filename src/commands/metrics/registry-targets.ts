import { registryTarget, type ScrapeTargetSpec } from '../../core/metrics-targets.js';
import type { Session } from '../../session/session.js';
import { readRegistries } from '../services/drift-read.js';

/**
 * The scrape targets the profile's registries announce: every instance whose metadata names a
 * metrics port or path (core/metrics-targets.ts). A registry that cannot be read adds nothing
 * this round; the collector keeps what it found before.
 */
export async function registryTargets(session: Session, signal: AbortSignal): Promise<ScrapeTargetSpec[]> {
  if (session.profile.registry.length === 0) return [];
  const found = new Map<string, ScrapeTargetSpec>();
  for (const { reading } of await readRegistries(session, undefined, signal)) {
    for (const svc of reading.services) {
      for (const inst of svc.instances) {
        const t = registryTarget(svc.name, inst);
        if (t && !found.has(t.url)) found.set(t.url, t);
      }
    }
  }
  return [...found.values()];
}
