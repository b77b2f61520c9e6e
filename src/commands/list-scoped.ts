import { unknownKinds, type Scope } from '../core/scope.js';
import type { Coverage, ListStop } from '../core/types.js';
import { lacksKinds, type Pool, type ScopedBackend } from './find-one.js';
import type { ListOptions } from '../core/subsystems.js';
import { askEach, listProgress, settleListing, type BackendPart } from './listing.js';
import type { Ctx } from './types.js';

export interface ListScoped<B extends ScopedBackend, T> {
  /** "registry", "config": for warnings and messages. */
  noun: string;
  /** The backends to ask (`poolOf`). */
  pool: Pool<B>;
  /** The scope kinds that narrow the listing. */
  given: Scope;
  /** The flag that narrows the next try, for the message of a cancelled listing. */
  narrower: string;
  list(backend: B, stopped: (why: Exclude<ListStop, 'done'>) => void, name: string, warn: (message: string) => void): Promise<T[]>;
}

/**
 * Asks every registry or config backend of the profile (or the one --backend names) on its own,
 * as `locks list` does. A backend that lacks a scope kind given (Eureka and `--namespace`) holds
 * nothing in that scope: its part is empty and complete, unless it is the only one asked or none
 * has the kind, when that is a usage error naming it. The console's panes show these parts as
 * they are (a backend that is down is a red row); commands settle them with `listScoped`.
 */
export async function askScoped<B extends ScopedBackend, T>(o: Omit<ListScoped<B, T>, 'narrower'>): Promise<Array<BackendPart<T>>> {
  const lacking: B[] = [];
  const parts = await askEach(o.pool, async (backend, name, stopped, warn) => {
    if (unknownKinds(backend.scope, o.given).length > 0) {
      lacking.push(backend);
      return [];
    }
    return o.list(backend, stopped, name, warn);
  });
  if (lacking.length > 0 && lacking.length === parts.length) throw lacksKinds(o.noun, lacking, o.given);
  return parts;
}

/** A listing command's answer: the parts settled (see `settleListing`) into rows and their coverage. */
export async function listScoped<B extends ScopedBackend, T>(ctx: Pick<Ctx, 'signal' | 'warn'>, o: ListScoped<B, T>): Promise<{ coverage: Coverage; items: T[] }> {
  return settleListing(ctx, await askScoped(o), `${o.noun} backend`, o.narrower);
}

/**
 * A listing command over services or configs: the parts asked with the command's signal and a
 * progress line, settled into rows and their coverage (`settleListing`), the progress cleared.
 */
export async function settleScoped<T>(ctx: Pick<Ctx, 'signal' | 'warn' | 'progress'>, noun: string, unit: string, ask: (opts: (backend: string) => ListOptions) => Promise<Array<BackendPart<T>>>): Promise<{ coverage: Coverage; items: T[] }> {
  const narrower = '--namespace or --filter';
  try {
    return settleListing(ctx, await ask(listProgress(ctx, narrower, unit)), `${noun} backend`, narrower);
  } finally {
    ctx.progress(null);
  }
}
