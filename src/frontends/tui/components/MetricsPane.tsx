import { Box, Text } from 'ink';
import { memo, useMemo, type ReactElement } from 'react';
import type { ChartSeries } from '../../../render/chart/chart-series.js';
import { renderChart } from '../../../render/chart/render-chart.js';
import type { Style } from '../../../render/style.js';
import { age, fit } from '../layout.js';
import { rangeLabel, type ChartMode, type MetricsPaneState, type MetricsQuery } from '../metrics-state.js';
import { rangeLength } from '../../../core/time-range.js';
import type { ConsoleState } from '../state.js';
import { headLines, querySlots } from '../metrics-pane-layout.js';

/** "5s", "1m", "1h", "7d": the short form the pane's header uses for intervals and ranges. */
export const shortDuration = rangeLength;

/** The metrics pane: a header, then one chart per live query, sized to the pane. */
export function MetricsPane({ s, height, now }: { s: ConsoleState; height: number; now: number }) {
  const m = s.metrics;
  const focused = s.focus === 'pane' || s.focus === 'query' || s.focus === 'range';
  const lines: ReactElement[] = [<Header key="header" m={m} cols={s.cols} editing={s.focus === 'query'} now={now} />];
  if (m.warning) lines.push(<Text key="warning" color="yellow" wrap="truncate">{fit(`⚠ ${m.warning}`, s.cols)}</Text>);
  if (m.backend === null) {
    lines.push(<Text key="nobackend" dimColor wrap="truncate">{fit('no metrics backend: add  metrics: {type: prometheus, url: http://prometheus:9090}  to this profile', s.cols)}</Text>);
  }
  const room = Math.max(0, height - headLines(m));
  if (m.queries.length === 0) {
    lines.push(<Text key="empty" dimColor wrap="truncate">{fit('(no queries: press a to add one, or run  metrics watch EXPR  at the prompt)', s.cols)}</Text>);
  }
  const slots = querySlots(m.queries.length, m.selected, room);
  for (let i = slots.first; i < slots.first + slots.shown; i++) {
    const q = m.queries[i]!;
    lines.push(
      <QueryBlock key={q.id} q={q} index={i} selected={i === m.selected} focused={focused} cols={s.cols} lines={slots.each} mode={m.mode} style={m.style} now={now} cursor={i === m.selected ? m.cursor : null} />,
    );
  }
  return (
    <Box flexDirection="column" height={height}>
      {lines}
    </Box>
  );
}

function Header({ m, cols, editing, now }: { m: MetricsPaneState; cols: number; editing: boolean; now: number }) {
  if (m.rangeEdit) {
    const { line, error } = m.rangeEdit;
    const label = 'time range› ';
    return (
      <Text wrap="truncate">
        <Text bold color="cyan">{label}</Text>
        <Text>{line.text.slice(0, line.cursor)}</Text>
        <Text inverse>{line.text.slice(line.cursor, line.cursor + 1) || ' '}</Text>
        <Text>{line.text.slice(line.cursor + 1)}</Text>
        {error ? <Text color="red">{`  ✗ ${fit(error, Math.max(0, cols - label.length - line.text.length - 4))}`}</Text> : null}
      </Text>
    );
  }
  if (editing && m.editing) {
    const { text, cursor } = m.editing.line;
    const label = m.editing.index === null ? 'add query› ' : `edit query ${m.editing.index + 1}› `;
    // Keep the cursor in view on long expressions: show the end of the line when it does not fit.
    const room = Math.max(10, cols - label.length - 1);
    const from = Math.max(0, cursor - room + 1);
    const shown = text.slice(from, from + room);
    const at = cursor - from;
    return (
      <Text wrap="truncate">
        <Text bold color="cyan">{label}</Text>
        <Text>{shown.slice(0, at)}</Text>
        <Text inverse>{shown.slice(at, at + 1) || ' '}</Text>
        <Text>{shown.slice(at + 1)}</Text>
      </Text>
    );
  }
  const newest = Math.max(0, ...m.queries.map((q) => q.fetchedAt ?? 0));
  const status = [
    'metrics',
    m.transient ?? 'saved queries',
    `${m.queries.length} ${m.queries.length === 1 ? 'query' : 'queries'}`,
    `every ${shortDuration(m.intervalMs)}`,
    rangeLabel(m),
    m.mode,
    m.queries.length > 0 ? `data ${age(newest === 0 ? null : newest, now)}` : '',
  ].filter(Boolean).join('  ·  ');
  return <Text bold wrap="truncate">{fit(status, cols)}</Text>;
}

/** A query's title line (expression, data age, last error, warnings) and its chart. */
function QueryBlock({ q, index, selected, focused, cols, lines, mode, style, now, cursor }: { q: MetricsQuery; index: number; selected: boolean; focused: boolean; cols: number; lines: number; mode: ChartMode; style: Style; now: number; cursor: number | null }) {
  const series = q.series?.length ?? 0;
  const facts = [
    q.series === null ? (q.loading ? 'loading…' : q.error ? '' : 'waiting') : `${series + q.hiddenSeries} series${q.hiddenSeries > 0 ? ` (${series} drawn)` : ''}`,
    q.fetchedAt !== null ? `data ${age(q.fetchedAt, now)}` : '',
  ].filter(Boolean).join(' · ');
  const title = `${selected ? '▶' : ' '} ${index + 1} ${q.expr}`;
  const tail = facts ? `  ${facts}` : '';
  const exprRoom = Math.max(8, cols - tail.length - 2);
  const problem = q.error ? `  ✗ ${q.error}` : q.warnings.length > 0 ? `  ⚠ ${q.warnings.join('; ')}` : '';
  return (
    <Box flexDirection="column" height={lines}>
      <Text wrap="truncate">
        <Text bold={selected} inverse={selected && focused}>{fit(title, exprRoom)}</Text>
        <Text dimColor>{tail}</Text>
        {problem ? <Text color={q.error ? 'red' : 'yellow'}>{problem}</Text> : null}
      </Text>
      {lines > 1 ? <Chart series={q.series} window={q.window} error={q.error} width={cols} height={lines - 1} mode={mode} style={style} cursor={cursor} /> : null}
    </Box>
  );
}

/**
 * The chart text, computed only when the data, the size or the mode changes: the one-second clock
 * and every keystroke re-render the pane, and neither may cost a chart.
 */
const Chart = memo(function Chart({ series, window, error, width, height, mode, style, cursor }: { series: ChartSeries[] | null; window: MetricsQuery['window']; error: string | null; width: number; height: number; mode: ChartMode; style: Style; cursor: number | null }) {
  const text = useMemo(() => {
    // No answer yet: the error in full, wrapped, where the chart will be.
    if (series === null) return error ? (error.match(new RegExp(`.{1,${Math.max(1, width)}}`, 'g')) ?? []).slice(0, height).join('\n') : 'loading…';
    return renderChart(series, { width, height, mode, style, cursor, ...(window ? { start: window.start, end: window.end } : {}) });
  }, [series, window, error, width, height, mode, style, cursor]);
  return (
    <>
      {text.split('\n').map((line, i) => (
        <Text key={i} wrap="truncate">{line}</Text>
      ))}
    </>
  );
});
