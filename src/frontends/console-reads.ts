import { backendFacts, type BackendFacts } from '../commands/backend-facts.js';
import { changeFeed, type ChangeQuery } from '../commands/change-feeds.js';
import { instanceChoices, namespaceChoices, scopeKindsOf, scopeValues } from '../commands/live-lists.js';
import { COMMANDS } from '../commands/table.js';
import { commandId, isStream, type Ctx } from '../commands/types.js';
import { OpsError } from '../core/errors.js';
import type { ScopeKind } from '../core/scope.js';
import type { PromqlSource } from '../shell/completion/promql-cache.js';
import type { ProfileSet } from '../session/profile-types.js';
import type { Session } from '../session/session.js';
import type { Invocation } from './cli/build-program.js';
import { parseLine } from './cli/parse-line.js';
import { DEFAULT_OWNER } from './execute.js';

/** A command's data and the warnings it gave (what the CLI prints on stderr as `opsdeck: warning: …`). */
export interface Answer<T> {
  data: T;
  warnings: string[];
}

/**
 * Everything the console reads, and the only way it reaches the profile's backends. Panes, the
 * completion cache, the health ping and the demo fleet run the commands of the table by their
 * words, parsed exactly as a script line is, and get the command's data back: a pane and the CLI
 * cannot read differently. Lines the user types go through `line-runner.ts` (logged, asked,
 * recorded); these are the console's own reads.
 */
export interface ConsoleReads {
  /** Runs a read-only command (`['services', 'list', '--namespace', 'prod']`) and returns its data. */
  read<T>(words: readonly string[], signal?: AbortSignal): Promise<T>;
  /** As `read`, keeping the warnings the command gave (a metrics server's, a history cut short). */
  readNoting<T>(words: readonly string[], signal?: AbortSignal): Promise<Answer<T>>;
  /**
   * Runs a command that changes state for the console's own actors (the `--demo` fleet's
   * heartbeats and locks): never logged, recorded or asked about, since no user asked for it.
   */
  act(words: readonly string[], signal?: AbortSignal): Promise<unknown>;
  /** The scope models and capabilities of the named backends, beside a listing whose rows name them. */
  backendFacts(subsystem: 'registry' | 'config', names: readonly string[], methods: readonly string[]): Promise<Map<string, BackendFacts>>;
  /** The push feed of a listing or a service (see commands/change-feeds.ts). */
  changes(q: ChangeQuery, signal: AbortSignal): AsyncIterable<void>;
  /** The live lists completion offers, read as `opsdeck __complete` reads them (commands/live-lists.ts). */
  instanceChoices(q: Parameters<typeof instanceChoices>[1]): ReturnType<typeof instanceChoices>;
  scopeValues(kind: ScopeKind): Promise<string[]>;
  scopeKinds(): Promise<Set<ScopeKind> | undefined>;
  namespaceChoices(): Promise<string[]>;
  /** What PromQL completion reads, through `metrics labels`, `metrics metadata` and `metrics series`. */
  promql: PromqlSource;
  /**
   * Runs `metrics collect` until the signal aborts when the profile's metrics are embedded: the
   * console hosts the collector (README "Embedded metrics"). Resolves at once otherwise, and
   * quietly when another process already collects into the data dir (the panes then read).
   */
  collectMetrics(signal: AbortSignal): Promise<void>;
}

/** How many parsed lines are kept: panes reload the same few lines every tick. */
const PARSED_KEPT = 64;

/** `profiles` and `version` matter only to the commands that report them (`profile show`); tests may leave them out. */
export function consoleReads(session: Session, profiles: ProfileSet = { file: null, defaultProfile: session.profile.name, profiles: new Map([[session.profile.name, session.profile]]) }, version = '0.0.0'): ConsoleReads {
  const parsed = new Map<string, Invocation>();
  const parse = async (words: readonly string[]): Promise<Invocation> => {
    const key = JSON.stringify(words);
    const hit = parsed.get(key);
    if (hit) return hit;
    // The console's own lines are plain ones: commander loads only for one that is not.
    const p = await parseLine(COMMANDS, words, 'replay', version);
    if (p.kind !== 'command') throw new OpsError('internal', `internal error: "${words.join(' ')}" is not a command the console can read`);
    if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, p.inv);
    return p.inv;
  };
  const ctxFor = (signal: AbortSignal, warnings: string[]): Ctx => ({
    session,
    profiles,
    defaultOwner: DEFAULT_OWNER,
    version,
    signal,
    now: Date.now,
    commands: COMMANDS,
    // Only the console's own actors run mutating commands here, and nobody is there to ask.
    confirm: async () => undefined,
    readFile: async (path) => {
      throw new OpsError('usage', `the console reads no files here (${path})`);
    },
    progress: () => undefined,
    warn: (m) => void warnings.push(m),
  });
  const run = async (words: readonly string[], mutating: boolean, signal: AbortSignal): Promise<Answer<unknown>> => {
    const inv = await parse(words);
    const id = commandId(inv.spec);
    // A pane never changes anything behind the user's back: its changes are command lines the user runs.
    if (inv.spec.mutates && !mutating) throw new OpsError('internal', `internal error: the console read "${id}", which changes state`);
    if (inv.spec.mutates) session.assertWritable(id);
    const warnings: string[] = [];
    const data = await inv.spec.run(ctxFor(signal, warnings), inv.input);
    if (isStream(data)) throw new OpsError('internal', `internal error: "${id}" streams; the console follows changes through its feeds`);
    return { data, warnings };
  };
  const never = new AbortController().signal;
  const readNoting = async <T>(words: readonly string[], signal = never) => (await run(words, false, signal)) as Answer<T>;
  return {
    read: async <T>(words: readonly string[], signal = never) => (await run(words, false, signal)).data as T,
    readNoting,
    act: async (words, signal = never) => (await run(words, true, signal)).data,
    backendFacts: (subsystem, names, methods) => backendFacts(session, subsystem, names, methods),
    changes: (q, signal) => changeFeed(session, q, signal),
    instanceChoices: (q) => instanceChoices(session, q),
    scopeValues: (kind) => scopeValues(session, kind),
    scopeKinds: () => scopeKindsOf(session),
    namespaceChoices: () => namespaceChoices(session),
    async collectMetrics(signal) {
      if (session.profile.metrics?.type !== 'embedded') return;
      try {
        const inv = await parse(['metrics', 'collect']);
        const data = await inv.spec.run(ctxFor(signal, []), inv.input);
        if (isStream(data)) for await (const _event of data.stream) if (signal.aborted) break;
      } catch {
        // Another process collects: this console reads what it flushes.
      }
    },
    promql: {
      labels: (name, signal) => readNoting(['metrics', 'labels', ...(name === undefined ? [] : [name])], signal),
      metadata: (metric, signal) => readNoting(['metrics', 'metadata', ...(metric === undefined ? [] : [metric])], signal),
      series: (matchers, start, end, signal) => readNoting(['metrics', 'series', ...matchers, ...(start === undefined ? [] : ['--start', String(start)]), ...(end === undefined ? [] : ['--end', String(end)])], signal),
    },
  };
}
