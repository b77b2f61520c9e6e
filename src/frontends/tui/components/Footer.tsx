import { Text } from 'ink';
import { footerLabels } from '../key-bindings.js';
import { levelOf } from '../pane-levels.js';
import { currentView, hasNamespaces, visibleRows, type ConsoleState } from '../state.js';

/**
 * The keys that work right now, for the focus the user is in. A question being asked comes
 * first (a command asks while it runs); then the running command with its message (a progress
 * line, `cancelling…`); then a message; then the keys.
 */
export function Footer({ s, now }: { s: ConsoleState; now: number }) {
  if (s.dialog) return <Text wrap="truncate" color="yellow">{keysFor(s)}</Text>;
  if (s.running) {
    return (
      <Text wrap="truncate" color="yellow">{`running ${s.running.line}  ${((now - s.running.startedAt) / 1000).toFixed(1)}s  ·  ${s.notice ?? (s.bench ? keysFor(s) : 'Ctrl-C cancels')}`}</Text>
    );
  }
  if (s.notice) return <Text wrap="truncate" color="yellow">{s.notice}</Text>;
  return <Text wrap="truncate" dimColor>{keysFor(s)}</Text>;
}

/** The footer's keys for where the user is, generated from the key table (key-bindings.ts). */
export function keysFor(s: ConsoleState): string {
  const join = (labels: string[]) => labels.filter(Boolean).join(' · ');
  if (s.dialog) {
    // A typed-name question takes the name and Enter; y would be typed into it.
    if (s.dialog.typeToConfirm !== null) return `type ${s.dialog.typeToConfirm} then ${join(footerLabels('dialog-name'))}`;
    return join(footerLabels('dialog'));
  }
  if (s.keyHelp) return join(footerLabels('help'));
  if (s.bench) return join(footerLabels('bench'));
  if (s.pager) return join(footerLabels(s.pager.typing !== null ? 'pager-search' : 'pager'));
  if (s.detail) return join(footerLabels('detail'));
  if (s.focus === 'filter') return join(footerLabels('filter'));
  if (s.focus === 'search') return join(footerLabels('search'));
  if (s.focus === 'query') return 'type PromQL · Enter keep · Esc cancel · Ctrl-A/E/K/U/W edit';
  if (s.focus === 'range') return 'type 1h, 30m, 2d or 2026-12-07T10:00/2h · Enter keep · Esc cancel';
  if (s.focus === 'pane' && s.pane === 'metrics') {
    const m = s.metrics;
    const has = m.queries.length > 0;
    const metrics = footerLabels('metrics', (a) => (a === 'query-edit' || a === 'query-remove' || a === 'query-down' ? has : a === 'save-list' ? m.transient !== null : true)).map((l) =>
      l === 'b chart style' ? `b ${m.mode === 'braille' ? 'block' : 'braille'}` : l === 'Esc back' ? (m.transient !== null ? 'Esc saved list' : 'Esc/: prompt') : l,
    );
    return join([...footerLabels('pane', (a) => a === 'pane-jump'), ...metrics, ...footerLabels('pane', (a) => a === 'key-help')]);
  }
  if (s.focus === 'pane') {
    const view = currentView(s);
    const level = levelOf(s.pane, view);
    // Keys the selected row's backend cannot do are hidden (its capability is absent).
    const row = visibleRows(view)[view.selected];
    const actions = level.actions.filter((a) => !(a.mutates && s.profile.readOnly) && !(row && a.unavailable?.(row))).map((a) => `${a.key} ${a.label}`);
    const labels = footerLabels('pane', (a) => (a !== 'open' || level.enter !== undefined) && (a !== 'namespace' || hasNamespaces(s, s.pane)) && (a !== 'mark' || level.marks !== undefined)).map((l) => (l === 'Esc back' && s.views[s.pane].length === 1 ? 'Esc/: prompt' : l));
    const at = labels.indexOf('Enter open') >= 0 ? labels.indexOf('Enter open') + 1 : labels.indexOf('/ filter') + 1;
    return join([...labels.slice(0, at), ...actions, ...labels.slice(at)]);
  }
  return join(footerLabels('prompt'));
}
