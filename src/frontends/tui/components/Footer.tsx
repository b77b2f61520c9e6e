import { Text } from 'ink';
import { levelOf } from '../pane-levels.js';
import { currentView, hasNamespaces, visibleRows, type ConsoleState } from '../state.js';

/** The keys that work right now, for the focus the user is in. */
export function Footer({ s, now }: { s: ConsoleState; now: number }) {
  if (s.running) {
    return (
      <Text wrap="truncate" color="yellow">{`running ${s.running.line}  ${((now - s.running.startedAt) / 1000).toFixed(1)}s  ·  Ctrl-C cancels`}</Text>
    );
  }
  if (s.notice) return <Text wrap="truncate" color="yellow">{s.notice}</Text>;
  return <Text wrap="truncate" dimColor>{keysFor(s)}</Text>;
}

export function keysFor(s: ConsoleState): string {
  if (s.dialog) return 'y confirm · n/Enter/Esc cancel';
  if (s.detail) return 'j/k scroll · Esc close';
  if (s.focus === 'filter') return 'type to filter · Enter keep · Esc clear';
  if (s.focus === 'search') return 'type to search history · Ctrl-R older · Enter run · Esc cancel';
  if (s.focus === 'query') return 'type PromQL · Enter keep · Esc cancel · Ctrl-A/E/K/U/W edit';
  if (s.focus === 'pane' && s.pane === 'metrics') {
    const m = s.metrics;
    return ['1-4/Tab panes', 'a add', m.queries.length > 0 ? 'e edit · d remove · j/k select' : '', `b ${m.mode === 'braille' ? 'block' : 'braille'}`, '+/- interval', '</> range', m.transient !== null ? 'S save list · Esc saved list' : 'Esc/: prompt', 'R refresh']
      .filter(Boolean)
      .join(' · ');
  }
  if (s.focus === 'pane') {
    const view = currentView(s);
    const level = levelOf(s.pane, view);
    // Keys the selected row's backend cannot do are hidden (its capability is absent).
    const row = visibleRows(view)[view.selected];
    const actions = level.actions.filter((a) => !(a.mutates && s.profile.readOnly) && !(row && a.unavailable?.(row))).map((a) => `${a.key} ${a.label}`);
    return ['1-4/Tab panes', 'j/k move', '/ filter', level.enter ? 'Enter open' : '', ...actions, level.marks ? `v ${level.marks}` : '', hasNamespaces(s, s.pane) ? 'n namespace' : '', s.views[s.pane].length > 1 ? 'Esc back' : 'Esc/: prompt', 'R refresh']
      .filter(Boolean)
      .join(' · ');
  }
  return 'Tab complete · → accept hint · ↑↓ history · Ctrl-R search · Esc panes · Alt-1..4 pane · use NS namespace · Ctrl-C cancel/clear · Ctrl-D exit';
}
