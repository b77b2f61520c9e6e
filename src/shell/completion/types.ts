/** One thing the console can offer at the cursor. */
export interface Candidate {
  value: string;
  description: string;
  kind: 'command' | 'flag' | 'value' | 'history';
}

export interface CompletionResult {
  /** The span of the line the chosen candidate replaces (the partial word under the cursor). */
  from: number;
  to: number;
  /** Ranked best first, at most `limit`. */
  items: Candidate[];
  /** What to show dimmed after the cursor: the rest of the best candidate when it extends the typed prefix, else ''. */
  hint: string;
}

/** A synchronous snapshot of live data the console cached in the background. Never blocks. */
export interface CompletionData {
  /** Service names (deduplicated across namespaces). */
  services(): readonly string[];
  /** "IP:PORT" addresses; undefined means not loaded yet. */
  instances(service: string): readonly string[] | undefined;
  configIds(): readonly string[];
  locks(): readonly string[];
  profiles(): readonly string[];
  namespaces(): readonly string[];
  groups(): readonly string[];
  /** Called when completion wanted data that is not cached (e.g. instances of a service); the cache loads it in the background. */
  want?(what: { kind: 'instances'; service: string }): void;
}
