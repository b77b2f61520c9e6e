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

/** The mark a backend read-only by design carries among its capabilities (commands/backend-facts.ts). */
export { READ_ONLY_CAP } from '../../commands/backend-facts.js';
