import type { Scope } from '../../core/scope.js';
import type { CompletionData } from '../../shell/completion/types.js';
import type { FetchRange } from './metrics-runner.js';
import type { LoadedView, Plan } from './pane-levels.js';
import type { LoadedQueries, SavedQueries } from './saved-queries.js';
import type { ConsoleState, PaneView } from './state.js';
import type { Store } from './store.js';

/** What the controller needs from the outside world; start-console wires the real ones. */
export interface ControllerDeps {
  store: Store<ConsoleState>;
  completion: CompletionData;
  /**
   * Runs one console line (a command); resolves with its exit code. Never throws. A destructive
   * command asks through `ask` every time: --yes on a console line is ignored.
   */
  runLine(line: string, signal: AbortSignal): Promise<number>;
  /** Runs a pasted multi-line block as a script. */
  runScript(text: string, signal: AbortSignal): Promise<number>;
  /** Loads rows for a view (and its columns, where they depend on the backends); throws on backend errors. */
  loadView(view: PaneView, scope: Scope): Promise<LoadedView>;
  /** How long a view's data stays good enough for an automatic reload to skip it. */
  minRefreshMs?(view: PaneView): number;
  /** The view's push feed (see `Level.changes`); without it every view is polled. */
  liveChanges?(view: PaneView, signal: AbortSignal, scope: Scope): AsyncIterable<void>;
  /**
   * The namespaces `use` may switch to (what the backends list, and their defaults); throws an
   * OpsError when no backend of the profile has namespaces. Without it, `use` is refused.
   */
  namespaces?(): Promise<string[]>;
  loadDetail(plan: Extract<Plan, { kind: 'detail' }>): Promise<string[]>;
  editConfig(plan: Extract<Plan, { kind: 'edit-config' }>): Promise<void>;
  saveHistory(entries: readonly string[]): void;
  /** Hands text to the user's $PAGER (the console suspended meanwhile); throws when it cannot run. */
  openPager?(text: string): void;
  redraw(): void;
  exit(): void;
  owner: string;
  now(): number;
  /** The metrics pane's outside world; without it the pane only shows how to configure one. */
  metrics?: MetricsDeps;
}

export interface MetricsDeps {
  fetchRange: FetchRange;
  /** Reads this profile's saved queries (once, when the pane first opens). */
  loadSaved(): LoadedQueries;
  /** Writes them atomically; throws when it cannot. */
  save(saved: SavedQueries): void;
  /** The standard queries of a service from the profile's templates; throws an OpsError on bad config. */
  serviceQueries(service: string): string[];
  /** A PromQL syntax problem in one line, null when fine, undefined when the checker is not loaded yet. */
  check?(expr: string): string | null | undefined;
}
