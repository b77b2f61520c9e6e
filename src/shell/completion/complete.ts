import type { CommandSpec } from '../../commands/types.js';
import { analyzeLine, optionsOf, type LineContext, type Target } from './analyze-line.js';
import { fuzzyIndexOf } from './fuzzy-index.js';
import { completePromql } from './promql-complete.js';
import { rank } from './rank.js';
import { SCOPE_KINDS, type Scope, type ScopeKind } from '../../core/scope.js';
import type { Candidate, CompletionData, CompletionResult, InstanceChoice, InstanceQuery, ScopeQuery } from './types.js';

/**
 * Completes the word under the cursor of a console line: command words, flags, flag values and
 * positional arguments, ranked by how well they match what is typed (see `rank`). Pure and
 * synchronous: live data comes from `data`, and data that is not cached yet only triggers
 * `data.want`, with no items this time.
 */
export function complete(commands: readonly CommandSpec[], line: string, cursor: number, data: CompletionData, limit = 50, inEffect: Scope = {}): CompletionResult {
  const ctx = analyzeLine(commands, line, cursor);
  if (ctx.target.kind === 'value' && ctx.target.source === 'promql') return completePromql(line, cursor, data, limit);
  // The console's scope (`use NAMESPACE`) counts where the line names none: that is where the line will run.
  const target = ctx.target.kind === 'value' && ctx.target.scope !== undefined ? { ...ctx.target, scope: { ...inEffect, ...ctx.target.scope } } : ctx.target;
  const items = limit > 0 ? candidates(commands, target, ctx.partial, data, limit) : [];
  const loading = items.length === 0 && isLoading(target, data);
  return { from: ctx.from, to: ctx.to, items, hint: hintFor(ctx, cursor, items[0]), ...(loading ? { loading } : {}) };
}

/** Whether the live names this target completes from have not arrived yet (so "no match" would be a guess). */
function isLoading(target: Target, data: CompletionData): boolean {
  if (target.kind !== 'value' || typeof target.source !== 'string') return false;
  switch (target.source) {
    case 'instance':
      return target.service !== undefined && data.instances({ service: target.service, scope: target.scope ?? {}, ...(target.backend === undefined ? {} : { backend: target.backend }) }) === undefined;
    case 'service':
    case 'config':
    case 'lock':
    case 'namespace':
    case 'group':
    case 'datacenter':
      return data.ready?.() === false;
    default:
      return false;
  }
}

function candidates(commands: readonly CommandSpec[], target: Target, partial: string, data: CompletionData, limit: number): Candidate[] {
  switch (target.kind) {
    case 'none':
      return [];
    case 'command':
      return commandWords(commands, target.words, partial, limit);
    case 'flag':
      return flags(target.spec, target.present, partial, limit, data.scopeKinds?.());
    case 'value':
      return values(target, partial, data, limit);
  }
}

/** The next words of command paths after `words`, described by the command or, for a noun, its verbs. */
function commandWords(commands: readonly CommandSpec[], words: readonly string[], partial: string, limit: number): Candidate[] {
  const next = new Map<string, { summary?: string; verbs: string[] }>();
  for (const c of commands) {
    if (c.path.length <= words.length || !words.every((w, i) => c.path[i] === w)) continue;
    const word = c.path[words.length]!;
    const entry = next.get(word) ?? { verbs: [] };
    if (c.path.length === words.length + 1) entry.summary = c.summary;
    else entry.verbs.push(c.path[words.length + 1]!);
    next.set(word, entry);
  }
  return rank([...next.keys()], partial, limit).map((word) => {
    const entry = next.get(word)!;
    return { value: word, description: entry.summary ?? entry.verbs.join(', '), kind: 'command' };
  });
}

/**
 * Flag names of the command and the global flags, minus non-repeatable ones already on the line.
 * Dashes are not part of the match ("--ty" looks for "ty"), or every flag would match "--". With
 * nothing typed, the command's own flags come before the global ones: they are the likelier want.
 */
function flags(spec: CommandSpec | null, present: ReadonlySet<string>, partial: string, limit: number, kinds: ReadonlySet<ScopeKind> | undefined): Candidate[] {
  // A scope flag no backend of the profile has (--namespace with only Eureka) is not offered.
  const offered = optionsOf(spec).filter((o) => (o.repeatable || !present.has(o.name)) && (o.scope === undefined || kinds === undefined || kinds.has(o.scope)));
  const byName = new Map(offered.map((o) => [o.name, o]));
  const query = partial.replace(/^-+/, '');
  let names: string[];
  if (query === '') {
    const ownNames = new Set(spec?.options.map((o) => o.name));
    const own = offered.filter((o) => ownNames.has(o.name)).map((o) => o.name);
    const global = offered.filter((o) => !ownNames.has(o.name)).map((o) => o.name);
    names = [...rank(own, '', limit), ...rank(global, '', limit)].slice(0, limit);
  } else {
    names = rank([...byName.keys()], query, limit);
  }
  return names.map((name) => ({ value: `--${name}`, description: byName.get(name)!.summary, kind: 'flag' }));
}

function values(target: Extract<Target, { kind: 'value' }>, partial: string, data: CompletionData, limit: number): Candidate[] {
  const { source, label } = target;
  let list: readonly string[];
  if (typeof source !== 'string') {
    // Choices are a handful of words: rank them directly.
    return rank(source, partial, limit).map((value) => ({ value, description: label, kind: 'value' }));
  }
  switch (source) {
    case 'service':
      list = scoped(target) ? (data.servicesIn?.(scopeQuery(target)) ?? data.services()) : data.services();
      break;
    case 'config':
      list = scoped(target) ? (data.configIdsIn?.(scopeQuery(target)) ?? data.configIds()) : data.configIds();
      break;
    case 'lock':
      list = data.locks();
      break;
    case 'profile':
      list = data.profiles();
      break;
    case 'namespace':
      list = data.namespaces();
      break;
    case 'group':
      list = data.groups();
      break;
    case 'datacenter':
      list = data.datacenters?.() ?? [];
      break;
    case 'instance': {
      if (target.service === undefined) return [];
      const q: InstanceQuery = { service: target.service, scope: target.scope ?? {}, ...(target.backend === undefined ? {} : { backend: target.backend }) };
      const instances = data.instances(q);
      if (instances === undefined) {
        data.want?.({ kind: 'instances', ...q });
        return [];
      }
      // Ids are inserted; the address says which instance each is (for the embedded store they are the same).
      const { ids, address } = instanceIndex(instances);
      return fuzzyIndexOf(ids)
        .search(partial, limit)
        .map((value) => ({ value, description: address.get(value) ?? label, kind: 'value' }));
    }
    case 'command':
    case 'promql':
      // Resolved by analyzeLine (command words) or complete (PromQL); never a value list.
      return [];
  }
  return fuzzyIndexOf(list)
    .search(partial, limit)
    .map((value) => ({ value, description: label, kind: 'value' }));
}

/** A target narrowed by a scope or a backend on the line (or the console's scope). */
function scoped(target: { scope?: Scope; backend?: string }): boolean {
  return target.backend !== undefined || SCOPE_KINDS.some((k) => target.scope?.[k] !== undefined);
}

function scopeQuery(target: { scope?: Scope; backend?: string }): ScopeQuery {
  return { scope: target.scope ?? {}, ...(target.backend === undefined ? {} : { backend: target.backend }) };
}

const instanceIndexes = new WeakMap<readonly InstanceChoice[], { ids: string[]; address: Map<string, string> }>();

/** The ids of a list of instances and their addresses, kept per list so its fuzzy index is built once. */
function instanceIndex(instances: readonly InstanceChoice[]): { ids: string[]; address: Map<string, string> } {
  let hit = instanceIndexes.get(instances);
  if (!hit) instanceIndexes.set(instances, (hit = { ids: instances.map((i) => i.id), address: new Map(instances.map((i) => [i.id, i.address])) }));
  return hit;
}

/**
 * The rest of the best candidate when it extends exactly what is typed (same case) and the cursor
 * is at the end of the word, so accepting the hint is inserting it at the cursor. No hint for an
 * empty word (a guess out of nothing), or when the rest could not be typed as is inside the word's
 * quoting (a space in a bare word, a quote inside the same quotes). Only dashes count as empty.
 */
function hintFor(ctx: LineContext, cursor: number, best: Candidate | undefined): string {
  if (!best || ctx.partial === '' || cursor !== ctx.to) return '';
  // Only dashes typed is an empty flag name: nothing to extend yet.
  if (ctx.target.kind === 'flag' && /^-*$/.test(ctx.partial)) return '';
  if (!best.value.startsWith(ctx.partial)) return '';
  const rest = best.value.slice(ctx.partial.length);
  const unsafe = ctx.open === "'" ? /'/ : ctx.open === '"' ? /["\\$]/ : /[\s'"\\]|\$\{/;
  return unsafe.test(rest) ? '' : rest;
}
