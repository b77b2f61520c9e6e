import { SCOPE_KINDS, type Scope, type ScopeModel } from '../../core/scope.js';
import { SCOPE_OPTIONS } from '../../commands/input.js';

/** A drill-down level's id: its kind, then what it shows as JSON ("instances:{…}"). */
export function levelId(kind: string, data: unknown): string {
  return `${kind}:${JSON.stringify(data)}`;
}

export function levelData<T>(level: string): T {
  return JSON.parse(level.slice(level.indexOf(':') + 1)) as T;
}

/**
 * The words that address one service or config on a pane's command line: `--backend` when the
 * profile has several of that subsystem, and each scope kind whose value is not the backend's
 * default (read from the backend's own model, so lines stay short without the console knowing
 * any backend's defaults).
 */
export function addressWords(backend: string, several: boolean, scope: Scope, model: ScopeModel): string[] {
  const words = several ? ['--backend', backend] : [];
  for (const k of SCOPE_KINDS) {
    const v = scope[k];
    if (v !== undefined && k in SCOPE_OPTIONS && v !== model.defaults[k]) words.push(`--${k}`, v);
  }
  return words;
}

/** The optional methods a backend has: what its rows offer (a key for a method it lacks is hidden). */
export function capabilitiesOf(backend: object, methods: readonly string[]): string[] {
  const has = methods.filter((m) => typeof (backend as Record<string, unknown>)[m] === 'function');
  // A backend read-only by design (RegistryBackend.readOnly) is marked, so a key pressed anyway says so.
  return typeof (backend as { readOnly?: unknown }).readOnly === 'string' ? [...has, READ_ONLY_CAP] : has;
}

/** The mark `capabilitiesOf` adds for a backend that is read-only by design. */
export const READ_ONLY_CAP = 'read-only';
