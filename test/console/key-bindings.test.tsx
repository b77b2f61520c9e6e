import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/frontends/tui/components/App.js';
import { keysFor } from '../../src/frontends/tui/components/Footer.js';
import { Controller } from '../../src/frontends/tui/controller.js';
import { KEY_BINDINGS, README_KEY_TABLES, chordLabel, keyTableMarkdown } from '../../src/frontends/tui/key-bindings.js';
import { keyHelpLines, openKeyHelp } from '../../src/frontends/tui/key-help.js';
import { levelId } from '../../src/frontends/tui/level-id.js';
import { levelOf } from '../../src/frontends/tui/pane-levels.js';
import type { KeyEvent } from '../../src/frontends/tui/keys.js';
import { initialState, type ConsoleState } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import { stubDeps } from '../helpers/controller-stub.js';

const README = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
const esc: KeyEvent = { kind: 'key', name: 'escape', ctrl: false, meta: false, shift: false };
const chars = (text: string): KeyEvent[] => [...text].map((c) => ({ kind: 'char', text: c }));

/** Every pane level with keys of its own, named as the key table's `where` names them. */
const LEVELS = {
  'services': levelOf('services', { level: 'top' }),
  'services → instances': levelOf('services', { level: levelId('instances', { backend: 'b', scope: {}, service: 's', address: [], caps: [] }) }),
  config: levelOf('config', { level: 'top' }),
  'config history': levelOf('config', { level: levelId('history', { backend: 'b', scope: {}, dataId: 'd', address: [], caps: [] }) }),
  locks: levelOf('locks', { level: 'top' }),
  tx: levelOf('tx', { level: 'top' }),
  caches: levelOf('caches', { level: 'top' }),
};

function consoleState(update: (s: ConsoleState) => ConsoleState = (s) => s): ConsoleState {
  return update(initialState(120, 40, { name: 'dev', production: false, readOnly: false }, [], false));
}

describe('the key table', () => {
  it.each(Object.keys(README_KEY_TABLES) as Array<keyof typeof README_KEY_TABLES>)('README key table "%s" is the one the table generates', (table) => {
    const block = new RegExp(`<!-- keys:${table} -->\\n([\\s\\S]*?)\\n<!-- /keys:${table} -->`).exec(README);
    expect(block, `README.md lacks <!-- keys:${table} --> … <!-- /keys:${table} -->`).not.toBeNull();
    expect(block![1], `README's "${table}" key table drifted from src/frontends/tui/key-bindings.ts; it should read:\n${keyTableMarkdown(table)}`).toBe(keyTableMarkdown(table));
  });

  it('no key means two things in one context', () => {
    for (const context of new Set(KEY_BINDINGS.map((b) => b.context))) {
      if (context === 'level') continue; // level keys belong to different views
      const seen = new Map<string, string>();
      for (const b of KEY_BINDINGS.filter((x) => x.context === context)) {
        for (const k of b.keys) {
          const id = `${chordLabel(k)}${k.shift ? '+shift' : ''}`;
          expect(seen.get(id) ?? b.action, `${context}: ${id} is bound to ${seen.get(id)} and ${b.action}`).toBe(b.action);
          seen.set(id, b.action);
        }
      }
    }
  });

  it("every pane level's own keys are in the table under its name, and the table lists no key a level lacks", () => {
    const documented = new Map<string, Set<string>>();
    for (const b of KEY_BINDINGS.filter((x) => x.levelAction)) {
      for (const where of b.where!.split(', ')) {
        const level = where === 'instances' ? 'services → instances' : where;
        documented.set(level, new Set([...(documented.get(level) ?? []), ...b.keys.map((k) => k.ch!)]));
      }
    }
    for (const [where, level] of Object.entries(LEVELS)) {
      expect([...(documented.get(where) ?? [])].sort(), where).toEqual(level.actions.map((a) => a.key).sort());
    }
  });

  it('footers name pane 6: the prompt says Alt-1..6, every pane 1-6', () => {
    expect(keysFor(consoleState())).toContain('Alt-1..6 pane');
    for (const pane of ['services', 'config', 'locks', 'metrics', 'tx', 'caches'] as const) {
      expect(keysFor(consoleState((s) => ({ ...s, focus: 'pane', pane })))).toMatch(/^1-6\/Tab panes .*\? keys/);
    }
    expect(keysFor(consoleState((s) => ({ ...s, focus: 'pane', pane: 'locks' })))).toContain('r release (mine) · f force release');
  });
});

describe('the ? overlay', () => {
  it("lists the place's keys first, its view's own keys with them, and searches every word", () => {
    const h = openKeyHelp(['pane', 'filter', 'global'], 'locks pane', LEVELS.locks.actions);
    const lines = keyHelpLines(h).map((l) => l.text);
    expect(lines[0]).toBe('panes');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}f\s+force release \(this view\)/));
    expect(lines.some((l) => /metrics pane/.test(l))).toBe(false);
    const found = keyHelpLines({ ...h, query: 'page down' }).map((l) => l.text);
    expect(found).toEqual(['panes', expect.stringMatching(/PgDn Ctrl-F\s+down a page/)]);
    const everywhere = keyHelpLines({ ...h, all: true, query: 'pager' }).map((l) => l.text);
    expect(everywhere).toContain('pager (Ctrl-O)');
  });

  it('? opens it on an empty prompt line and in a pane; typed after text it is a character; Esc clears the search, then closes', async () => {
    const store = new Store(consoleState());
    const c = new Controller(stubDeps(store));
    const press = (...evs: KeyEvent[]) => evs.forEach((e) => c.handle(e));
    press(...chars('?'));
    expect(store.get().keyHelp?.place).toBe('prompt');
    press(...chars('hist'));
    expect(store.get().keyHelp?.query).toBe('hist');
    const { lastFrame, unmount } = render(<App store={store} />);
    expect(lastFrame()).toMatch(/keys: prompt {2}· {2}search: hist/);
    expect(lastFrame()).toMatch(/↑ Ctrl-P\s+older history line/);
    expect(lastFrame()).not.toMatch(/Ctrl-O/);
    unmount();
    press(esc);
    expect(store.get().keyHelp?.query).toBe('');
    press(esc);
    expect(store.get().keyHelp).toBeNull();
    press(...chars('metrics query up?'));
    expect(store.get().line.text).toBe('metrics query up?');
    expect(store.get().keyHelp).toBeNull();
    press(esc);
    press(...chars('3?'));
    expect(store.get().keyHelp?.place).toBe('locks pane (locks)');
    expect(store.get().keyHelp?.levelKeys.map((k) => k.key)).toEqual(['r', 'f']);
  });
});
