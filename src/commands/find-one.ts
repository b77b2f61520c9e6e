import { isOpsError, notFound, OpsError, usage } from '../core/errors.js';
import { describeScope, kindPlural, resolveScope, unknownKinds, type Scope, type ScopeModel } from '../core/scope.js';
import type { BackendHandle } from '../session/session.js';
import { scopeFlags } from './input.js';

/** What every registry and config backend has: a name (the backend column) and the scope kinds it addresses by. */
export interface ScopedBackend {
  readonly name: string;
  readonly scope: ScopeModel;
}

/** The backends a command asks, unopened: all of the profile's, or the one --backend names. */
export type Pool<B> = ReadonlyArray<{ name: string; open(): Promise<B> }>;

/**
 * The pool for --backend `pick` (absent: every backend). `open(name)` is the session's: it refuses
 * a name the profile does not have, and with no name and no backend says the profile has none.
 */
export async function poolOf<B>(handles: Array<BackendHandle<B>>, pick: string | undefined, open: (name?: string) => Promise<B>): Promise<Pool<B>> {
  if (handles.length === 0) await open();
  return pick === undefined ? handles : [{ name: pick, open: () => open(pick) }];
}

export interface FindOne<B extends ScopedBackend, T> {
  /** "registry" or "config": for messages ("several registry backends"). */
  noun: string;
  /** The backends to look in (`poolOf`). */
  pool: Pool<B>;
  /** The scope kinds given on the line; each backend fills in the rest from its own defaults. */
  given: Scope;
  /** "service orders", "config orders.yaml". */
  what: string;
  /** Reads the thing in one backend; a not-found OpsError means this backend does not have it. */
  lookup(backend: B, scope: Scope): Promise<T>;
  /** Refuses a backend that cannot do what the command wants (requireCapability), before anything is read from it when it is the only one. */
  need?(backend: B): void;
  /** The command creates it when absent (register, set): absent is a result, not an error. */
  creating?: boolean;
  /** Where to look, for the not-found hint: '"opsdeck services list" shows the services'. */
  listHint: string;
}

export interface Found<B, T> {
  backend: B;
  /** The full scope used: what was given, the backend's defaults for the rest. */
  scope: Scope;
  /** The thing, or null when `creating` and it is absent. */
  found: T | null;
}

type Outcome<B, T> =
  | { kind: 'found'; name: string; backend: B; scope: Scope; value: T }
  | { kind: 'absent'; name: string; backend: B; scope: Scope; error: OpsError }
  | { kind: 'lacks'; name: string; backend: B }
  | { kind: 'failed'; name: string; error: OpsError };

/**
 * Finds the backend that holds one service or config. With --backend, or when the profile has one
 * backend, that one; with several, the one that has it, each asked on its own. Found on more than
 * one is a usage error naming them; found nowhere is not-found naming the thing and its scope;
 * found nowhere while another backend failed is that failure (its exit code), since "not found"
 * would be a guess. A scope kind a backend does not have (`--namespace` on Eureka) is a usage
 * error naming the backend when it is the only one asked; among several, that backend is left out.
 */
export async function findOne<B extends ScopedBackend, T>(o: FindOne<B, T>): Promise<Found<B, T>> {
  const alone = o.pool.length === 1;
  const outcomes = await Promise.all(o.pool.map((h) => ask(h, o, alone)));
  const lacking = outcomes.filter((x): x is Extract<Outcome<B, T>, { kind: 'lacks' }> => x.kind === 'lacks');
  if (lacking.length === outcomes.length) throw lacksKinds(o.noun, lacking.map((l) => l.backend), o.given);
  const found = outcomes.filter((x): x is Extract<Outcome<B, T>, { kind: 'found' }> => x.kind === 'found');
  if (found.length > 1) {
    throw usage(`${o.what} is on several ${o.noun} backends: ${found.map((f) => `${f.name} (${describeScope(f.scope) || 'no scope'})`).join(', ')}`, `pick one with ${found.map((f) => `--backend ${f.name}`).join(' or ')}`);
  }
  if (found.length === 1) {
    const f = found[0]!;
    o.need?.(f.backend);
    return { backend: f.backend, scope: f.scope, found: f.value };
  }
  const failed = outcomes.filter((x): x is Extract<Outcome<B, T>, { kind: 'failed' }> => x.kind === 'failed');
  if (failed.length > 0) throw failed[0]!.error;
  const absent = outcomes.filter((x): x is Extract<Outcome<B, T>, { kind: 'absent' }> => x.kind === 'absent');
  if (absent.length === 1) {
    const a = absent[0]!;
    if (o.creating) return { backend: a.backend, scope: a.scope, found: null };
    // The backend's own words (an unknown namespace, say), with where to look next.
    const flags = scopeFlags(a.backend.scope.kinds);
    throw new OpsError('not-found', a.error.message, `${o.listHint}${flags ? `, or pass ${flags} for another scope` : ''}`);
  }
  const where = absent.map((a) => `${a.name}${describeScope(a.scope) ? ` (${describeScope(a.scope)})` : ''}`).join(', ');
  if (o.creating) throw usage(`${o.what} is on none of the ${o.noun} backends (${where}), so opsdeck cannot tell which one you mean`, `pick where with --backend ${absent.map((a) => a.name).join(' or --backend ')}`);
  throw notFound(`${o.what} not found on any ${o.noun} backend: ${where}`, o.listHint);
}

/**
 * "registry backend eureka has no namespaces": the scope kinds given that the backends asked
 * (the first names the message; the others are listed) do not have.
 */
export function lacksKinds(noun: string, backends: readonly ScopedBackend[], given: Scope): OpsError {
  const b = backends[0]!;
  const kinds = unknownKinds(b.scope, given);
  const others = backends.length > 1 ? `, nor has any other ${noun} backend of the profile (${backends.slice(1).map((x) => x.name).join(', ')})` : '';
  const drop = `drop ${kinds.map((k) => `--${k}`).join(' and ')}`;
  return usage(`${noun} backend ${b.name} has no ${kinds.map(kindPlural).join(' or ')}${others}`, b.scope.kinds.length === 0 ? `${b.name} addresses things by name alone: ${drop}` : `${b.name} addresses things by ${b.scope.kinds.join(' and ')}: ${drop}`);
}

async function ask<B extends ScopedBackend, T>(h: { name: string; open(): Promise<B> }, o: FindOne<B, T>, alone: boolean): Promise<Outcome<B, T>> {
  let backend: B;
  try {
    backend = await h.open();
  } catch (e) {
    // The only backend asked: its failure is the answer (a config error stays exit 2).
    if (alone) throw e;
    return { kind: 'failed', name: h.name, error: asOpsError(e) };
  }
  const name = backend.name;
  if (unknownKinds(backend.scope, o.given).length > 0) return { kind: 'lacks', name, backend };
  if (alone) o.need?.(backend);
  let scope: Scope = o.given;
  try {
    // A default only the server knows (Consul's datacenter) is asked for here, as part of the lookup.
    scope = await resolveScope(backend.scope, o.given);
    return { kind: 'found', name, backend, scope, value: await o.lookup(backend, scope) };
  } catch (e) {
    const error = asOpsError(e);
    if (error.kind === 'not-found') return { kind: 'absent', name, backend, scope, error };
    if (alone) throw e;
    return { kind: 'failed', name, error };
  }
}

function asOpsError(e: unknown): OpsError {
  return isOpsError(e) ? e : new OpsError('failed', String((e as Error)?.message ?? e));
}
