import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { ChartSeries } from '../../../render/chart/chart-series.js';
import { renderChart } from '../../../render/chart/render-chart.js';
import { formatMicros } from '../../../render/bench-views.js';
import type { Style } from '../../../render/style.js';
import { LATENCY_UNIT, benchSeries, type BenchViewState } from '../bench-view.js';
import { fit } from '../layout.js';

/** The live view of a running `bench`: a status line, then the req/s chart over the p50/p99 chart. */
export function BenchView({ v, cols, height, style }: { v: BenchViewState; cols: number; height: number; style: Style }) {
  // Running: the last second's report. Finished: the whole run, as the summary in the output says.
  const last = (v.done && v.final) || v.samples[v.samples.length - 1]!;
  const series = useMemo(() => benchSeries(v), [v]);
  // The figures first: a narrow terminal cuts the end of the line, and the footer shows the keys.
  const status = [
    v.done ? 'load finished' : 'load running',
    `${(last.elapsedMs / 1000).toFixed(v.done && v.final ? 1 : 0)}s`,
    `${last.requests} requests`,
    `${Math.round(last.requestsPerSec)} req/s`,
    `p50 ${formatMicros(last.p50)}`,
    `p99 ${formatMicros(last.p99)}`,
    `${last.errors} errors`,
    v.done ? 'the summary is in the output area' : 'q/Esc stops it, the summary so far goes to the output area',
  ].join('  ·  ');
  const each = Math.max(3, Math.floor((height - 2) / 2));
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate">{fit(`bench  ${v.line}`, cols)}</Text>
      <Text color={v.done ? 'green' : 'yellow'} wrap="truncate">{fit(status, cols)}</Text>
      <Chart series={series.rate} width={cols} height={each} style={style} />
      <Chart series={series.latency} width={cols} height={each} style={style} unit={LATENCY_UNIT} />
    </Box>
  );
}

/** Rendered only when the samples or the size change, not on the one-second clock. */
const Chart = memo(function Chart({ series, width, height, style, unit }: { series: ChartSeries[]; width: number; height: number; style: Style; unit?: string }) {
  const text = useMemo(() => renderChart(series, { width, height, style, unit }), [series, width, height, style, unit]);
  return (
    <>
      {text.split('\n').map((line, i) => (
        <Text key={i} wrap="truncate">{line}</Text>
      ))}
    </>
  );
});
