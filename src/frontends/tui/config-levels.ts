import { configParts } from '../../commands/config/list.js';
import { contentAfter, type ConfigSummary, type ConfigVersion } from '../../core/config-center.js';
import { formatDuration } from '../../core/duration.js';
import { isOpsError } from '../../core/errors.js';
import { describeScope, type Scope } from '../../core/scope.js';
import { cell } from '../../render/generic.js';
import { configFacts } from '../../render/config-views.js';
import { commandLine } from '../../shell/quote-word.js';
import { levelData, levelId } from './level-id.js';
import type { Level, PaneAction } from './pane-levels.js';
import { pushOf } from './push-feeds.js';
import { errorDetail, isErrorRow, scopedRows } from './scoped-rows.js';

/** A config row: the summary, the words that address it on a command line, and what its backend can do. */
export interface ConfigRow {
  kind: 'config';
  config: ConfigSummary;
  scope: Scope;
  address: string[];
  caps: string[];
}

interface HistoryOf {
  backend: string;
  scope: Scope;
  dataId: string;
  address: string[];
  caps: string[];
}

const CONFIG_ACTIONS = ['set', 'history', 'versionContent', 'listeners'];

/** A pane key for a config row, offered only where the row's backend has `method`. */
function configAction(key: string, label: string, method: string, cannot: string, mutates: boolean, plan: PaneAction['plan']): PaneAction {
  return {
    key,
    label,
    mutates,
    unavailable: (row) => (isErrorRow(row) ? `${label} needs a config` : (row.data as ConfigRow).caps.includes(method) ? null : `config backend ${(row.data as ConfigRow).config.backend} cannot ${cannot}`),
    plan: (row) => (isErrorRow(row) ? null : plan(row, '')),
  };
}

export const configTop: Level = {
  load: async (session, _now, scope = {}) =>
    scopedRows(session.configBackends(), await configParts(session, scope), {
      columns: ['DATA ID', 'TYPE', 'VER', 'MD5'],
      methods: CONFIG_ACTIONS,
      name: (c) => c.dataId,
      row: (c, at) => ({
        cells: [c.dataId, cell(c.type), cell(c.version), (c.md5 ?? '-').slice(0, 12)],
        tone: 'plain',
        data: { kind: 'config', config: c, ...at } satisfies ConfigRow,
      }),
    }),
  changes: (session, signal, scope = {}) => pushOf(session.configBackends(), (c, s) => c.changes?.({ scope }, s), signal),
  enter(row) {
    if (isErrorRow(row)) return errorDetail(row, 'config backend');
    const { config: c, scope, address } = row.data as ConfigRow;
    return {
      kind: 'detail',
      title: `${c.dataId} (${[address.includes('--backend') ? c.backend : '', describeScope(scope)].filter(Boolean).join(', ')})`,
      load: async (session) => {
        const item = await (await session.configBackend(c.backend)).get({ scope, dataId: c.dataId });
        return [configFacts(item), '', ...item.content.replace(/\n$/, '').split('\n')];
      },
    };
  },
  actions: [
    configAction('e', 'edit', 'set', 'publish config', true, (row) => {
      const { config: c, scope, address } = row.data as ConfigRow;
      return { kind: 'edit-config', backend: c.backend, scope, dataId: c.dataId, address };
    }),
    configAction('h', 'history', 'history', 'show config history', false, (row) => {
      const { config: c, scope, address, caps } = row.data as ConfigRow;
      return { kind: 'drill', level: levelId('history', { backend: c.backend, scope, dataId: c.dataId, address, caps } satisfies HistoryOf), title: `history of ${c.dataId}`, columns: ['ID', 'OP', 'CONTENT', 'MD5', 'UPDATED'] };
    }),
    configAction('l', 'listeners', 'listeners', 'list config listeners', false, (row) => {
      const { config: c, address } = row.data as ConfigRow;
      return { kind: 'command', line: commandLine(['config', 'listeners', c.dataId, ...address]), confirm: null };
    }),
  ],
};

export function historyLevel(level: string): Level {
  const at = levelData<HistoryOf>(level);
  const ref = { scope: at.scope, dataId: at.dataId };
  const needs = (method: string, cannot: string) => () => (at.caps.includes(method) ? null : `config backend ${at.backend} cannot ${cannot}`);
  return {
    ...(at.caps.includes('versionContent') ? { marks: 'mark for diff' } : {}),
    async load(session, now) {
      const backend = await session.configBackend(at.backend);
      if (!backend.history) throw new Error(`config backend ${at.backend} keeps no history`);
      const rows = (await backend.history(ref)).entries;
      return rows.map((v: ConfigVersion) => ({
        key: v.id,
        cells: [v.id, v.op, `${v.contentIs} the change`, (v.md5 ?? '-').slice(0, 12), v.at ? `${formatDuration(now - Date.parse(v.at))} ago` : '-'],
        tone: v.op === 'delete' ? 'bad' : v.op === 'rollback' ? 'warn' : 'plain',
        data: v,
      }));
    },
    enter(row) {
      const v = row.data as ConfigVersion;
      return {
        kind: 'detail',
        title: `${at.dataId} after entry ${v.id}`,
        load: async (session) => {
          const backend = await session.configBackend(at.backend);
          if (!backend.history || !backend.versionContent) return ['(this backend cannot show the content of a history entry)'];
          const history = (await backend.history(ref)).entries;
          const read = backend.versionContent.bind(backend);
          const current = () => backend.get(ref).then((i) => i.content, (e: unknown) => (isOpsError(e) && e.kind === 'not-found' ? null : Promise.reject(e)));
          const content = await contentAfter(history, v, (id) => read(ref, id), current);
          const head = `entry ${v.id} · ${v.op}${v.at ? ` · ${v.at}` : ''} · the content right after this change`;
          return content === null ? [head, '', '(nothing: the config was deleted)'] : [head, '', ...content.replace(/\n$/, '').split('\n')];
        },
      };
    },
    actions: [
      {
        key: 'd',
        label: 'diff',
        mutates: false,
        unavailable: needs('versionContent', 'diff config versions'),
        plan: (row, _me, marked) => {
          const to = (row.data as ConfigVersion).id;
          const from = marked && marked.key !== row.key ? ['--from', (marked.data as ConfigVersion).id] : [];
          return { kind: 'command', line: commandLine(['config', 'diff', at.dataId, ...from, '--to', to, ...at.address]), confirm: null };
        },
      },
      {
        key: 'r',
        label: 'roll back to this',
        mutates: true,
        unavailable: (row) => ((row.data as ConfigVersion).op === 'delete' ? 'a deletion left no content to roll back to' : needs('set', 'publish config')() ?? needs('versionContent', 'roll back config')()),
        plan: (row) => {
          const v = row.data as ConfigVersion;
          return { kind: 'command', line: commandLine(['config', 'rollback', at.dataId, '--to', v.id, ...at.address]), confirm: `Roll ${at.dataId} back to what entry ${v.id} left? Listeners receive that content as a new version.` };
        },
      },
    ],
  };
}
