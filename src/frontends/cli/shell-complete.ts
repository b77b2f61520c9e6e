import { COMMANDS } from '../../commands/table.js';
import { listEachLockBackend } from '../../commands/locks/list.js';
import { configParts } from '../../commands/config/list.js';
import { instanceChoices, scopeKindsOf, scopeValues } from '../../commands/live-lists.js';
import { serviceParts } from '../../commands/services/list.js';
import { analyzeLine } from '../../shell/completion/analyze-line.js';
import { complete } from '../../shell/completion/complete.js';
import { scanLine } from '../../shell/completion/scan-line.js';
import type { CompletionData } from '../../shell/completion/types.js';
import type { Session } from '../../session/session.js';
import type { ProfileSet } from '../../session/profile-types.js';
import type { SessionPool } from '../session-pool.js';
import { GLOBAL_OPTIONS, readGlobals } from '../../commands/global-options.js';
import type { RawValue } from '../../commands/types.js';

/** How long a shell waits for live names before it gets what opsdeck has without them. */
const DEFAULT_TIMEOUT_MS = 1500;
const LIMIT = 200;

/**
 * `opsdeck __complete --shell SHELL -- LINE`: the shells' completion scripts call this with the
 * line typed so far (the program name first). It answers on stdout: the word being completed as
 * opsdeck read it, then one candidate per line as `value<TAB>description`, only those that extend
 * what is typed (shells insert by prefix). Live names (services, configs, locks, instances) are
 * read from the profile the line names, within a short bound (OPSDECK_COMPLETE_TIMEOUT_MS), so a
 * backend that is down or slow costs the shell at most that and never an error on the terminal.
 * Nothing here writes, prompts or prints to stderr.
 */
export async function shellComplete(args: string[], pool: SessionPool, env: NodeJS.ProcessEnv): Promise<string> {
  const sep = args.indexOf('--');
  const typed = sep >= 0 ? args.slice(sep + 1).join(' ') : args.join(' ');
  // The line starts with the program name (any path to it); completion reads it without.
  const line = typed.replace(/^\s*\S+/, '');
  const cursor = line.length;
  const ctx = analyzeLine(COMMANDS, line, cursor);
  const word = line.slice(ctx.from, cursor);
  const timeout = Number(env.OPSDECK_COMPLETE_TIMEOUT_MS) > 0 ? Number(env.OPSDECK_COMPLETE_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS;
  const data = ctx.target.kind === 'value' || ctx.target.kind === 'flag' ? await liveData(line, ctx.target, pool, timeout) : EMPTY;
  const result = complete(COMMANDS, line, cursor, data, LIMIT);
  const items = result.items.filter((c) => c.value.startsWith(ctx.partial));
  return [word, ...items.map((c) => `${oneLine(c.value)}\t${oneLine(c.description)}`)].join('\n') + '\n';
}

const EMPTY: CompletionData = {
  services: () => [],
  instances: () => [],
  configIds: () => [],
  locks: () => [],
  profiles: () => [],
  namespaces: () => [],
  groups: () => [],
};

type ValueTarget = Extract<ReturnType<typeof analyzeLine>['target'], { kind: 'value' | 'flag' }>;

/** Loads only the list this value (or, for a flag, the scope kinds) needs, from the session the line's global flags pick. */
async function liveData(line: string, target: ValueTarget, pool: SessionPool, timeoutMs: number): Promise<CompletionData> {
  if (target.kind === 'flag' ? !target.spec?.options.some((o) => o.scope !== undefined) : typeof target.source !== 'string') return EMPTY;
  const load = async (): Promise<CompletionData> => {
    const { session, profiles } = await pool.get(readGlobals(globalsOf(line)));
    return { ...EMPTY, ...(await listFor(target, session, profiles)) };
  };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CompletionData>((resolve) => (timer = setTimeout(() => resolve(EMPTY), timeoutMs)));
  try {
    return await Promise.race([load().catch(() => EMPTY), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function listFor(target: ValueTarget, session: Session, profiles: ProfileSet): Promise<Partial<CompletionData>> {
  if (target.kind === 'flag') {
    // Scope flags are offered only where a backend of the profile has their kind.
    const kinds = await scopeKindsOf(session);
    return { scopeKinds: () => kinds };
  }
  switch (target.source) {
    case 'profile':
      return { profiles: () => [...profiles.profiles.keys()] };
    case 'service': {
      const names = [...new Set((await serviceParts(session, {})).flatMap((p) => p.items.map((s) => s.name)))];
      return { services: () => names };
    }
    case 'namespace':
    case 'group':
    case 'datacenter': {
      const kind = target.source;
      const [listed, services, configs] = await Promise.all([scopeValues(session, kind), serviceParts(session, {}).catch(() => []), configParts(session, {}).catch(() => [])]);
      const seen = [...services, ...configs].flatMap((p) => p.items.flatMap((r) => (r[kind] === undefined ? [] : [r[kind]!])));
      const values = [...new Set([...listed, ...seen])];
      return kind === 'namespace' ? { namespaces: () => values } : kind === 'group' ? { groups: () => values } : { datacenters: () => values };
    }
    case 'instance': {
      const q = { service: target.service ?? '', scope: target.scope ?? {}, ...(target.backend === undefined ? {} : { backend: target.backend }) };
      const choices = await instanceChoices(session, q);
      return { instances: () => choices };
    }
    case 'config': {
      const ids = [...new Set((await configParts(session, {})).flatMap((p) => p.items.map((c) => c.dataId)))];
      return { configIds: () => ids };
    }
    case 'lock': {
      const listings = await listEachLockBackend(session, '');
      const names = [...new Set(listings.flatMap((l) => l.items.map((v) => v.name)))];
      return { locks: () => names };
    }
    default:
      return {};
  }
}

/** The global options that pick the session, as typed on the line: completion reads the backends the command will. */
const SESSION_OPTIONS = ['profile', 'config', 'data-dir'] as const satisfies ReadonlyArray<keyof typeof GLOBAL_OPTIONS>;

function globalsOf(line: string): Record<string, RawValue> {
  const words = scanLine(line).words.map((w) => w.text);
  const out: Record<string, RawValue> = {};
  words.forEach((w, i) => {
    const eq = w.indexOf('=');
    const name = (eq > 0 ? w.slice(0, eq) : w).replace(/^--/, '');
    if (!w.startsWith('--') || !(SESSION_OPTIONS as readonly string[]).includes(name)) return;
    const value = eq > 0 ? w.slice(eq + 1) : words[i + 1];
    if (value !== undefined && !value.startsWith('-')) out[name] = value;
  });
  return out;
}

/** A candidate is one output line: tabs and newlines in it would break the protocol. */
function oneLine(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}
