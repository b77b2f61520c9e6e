import type { ConfigItem, ConfigListing, ConfigSummary, ConfigVersion } from '../../core/config-center.js';
import { describeScope, type Scope } from '../../core/scope.js';
import { configFacts, configsColumns, historyColumns, type EntryContent } from '../../render/config-views.js';
import { commandLine } from '../../shell/quote-word.js';
import { levelData, levelId } from './level-id.js';
import type { Level, PaneAction } from './pane-levels.js';
import { paneTable } from './pane-table.js';
import { scopeWords } from './registry-levels.js';
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
  async load(reads, now, scope = {}) {
    const listing = await reads.read<ConfigListing>(['config', 'list', ...scopeWords(scope)]);
    return scopedRows(reads, 'config', listing, listing.configs, configsColumns(listing, now), {
      methods: CONFIG_ACTIONS,
      name: (c) => c.dataId,
      row: (c, at) => ({ tone: 'plain', data: { kind: 'config', config: c, ...at } satisfies ConfigRow }),
    });
  },
  changes: (reads, signal, scope = {}) => reads.changes({ subsystem: 'config', scope }, signal),
  enter(row) {
    if (isErrorRow(row)) return errorDetail(row, 'config backend');
    const { config: c, scope, address } = row.data as ConfigRow;
    return {
      kind: 'detail',
      title: `${c.dataId} (${[address.includes('--backend') ? c.backend : '', describeScope(scope)].filter(Boolean).join(', ')})`,
      load: async (reads) => {
        const item = await reads.read<ConfigItem>(['config', 'get', c.dataId, ...address]);
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
      return { kind: 'drill', level: levelId('history', { backend: c.backend, scope, dataId: c.dataId, address, caps } satisfies HistoryOf), title: `history of ${c.dataId}`, columns: ['ID'] };
    }),
    configAction('l', 'listeners', 'listeners', 'list config listeners', false, (row) => {
      const { config: c, address } = row.data as ConfigRow;
      return { kind: 'command', line: commandLine(['config', 'listeners', c.dataId, ...address]), confirm: null };
    }),
  ],
};

export function historyLevel(level: string): Level {
  const at = levelData<HistoryOf>(level);
  const needs = (method: string, cannot: string) => () => (at.caps.includes(method) ? null : `config backend ${at.backend} cannot ${cannot}`);
  return {
    ...(at.caps.includes('versionContent') ? { marks: 'mark for diff' } : {}),
    async load(reads, now) {
      const h = await reads.read<{ entries: ConfigVersion[] }>(['config', 'history', at.dataId, ...at.address]);
      return paneTable(historyColumns(h.entries, now), h.entries, (v) => ({ key: v.id, tone: v.op === 'delete' ? 'bad' : v.op === 'rollback' ? 'warn' : 'plain', data: v }));
    },
    enter(row) {
      const v = row.data as ConfigVersion;
      return {
        kind: 'detail',
        title: `${at.dataId} after entry ${v.id}`,
        load: async (reads) => {
          if (!at.caps.includes('versionContent')) return ['(this backend cannot show the content of a history entry)'];
          const { content } = await reads.read<EntryContent>(['config', 'get', at.dataId, '--entry', v.id, ...at.address]);
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
