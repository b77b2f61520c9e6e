import { OpsError } from '../../core/errors.js';
import type { ConfigEvent } from '../../core/types.js';
import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { durationOpt, intOpt } from '../option-types.js';
import type { Stream } from '../types.js';
import { CONFIG_OPTIONS, DATAID_ARG, configRef } from './ref.js';

export const configWatch = defineCommand({
  path: ['config', 'watch'],
  summary: 'Print each change of a config as it happens (NDJSON with -o json)',
  args: DATAID_ARG,
  options: {
    count: intOpt({ summary: 'stop after this many changes', min: 1 }),
    timeout: durationOpt({ summary: 'stop after this long; with --count, fewer changes than asked is a failure' }),
    ...CONFIG_OPTIONS,
  },
  examples: ['opsdeck config watch orders.yaml', 'opsdeck config watch orders.yaml --count 1 --timeout 60s -o json'],
  mutates: false,
  async run(ctx, input): Promise<Stream<ConfigEvent>> {
    const ref = configRef(input);
    const { count, timeout: timeoutMs } = input.opts;
    const config = requireCapability(await ctx.session.config(), 'watch', 'watch config');
    return { stream: limited(config.watch.bind(config), ref, ctx.signal, count, timeoutMs) };
  },
});

async function* limited(
  watch: (ref: ReturnType<typeof configRef>, signal: AbortSignal) => AsyncIterable<ConfigEvent>,
  ref: ReturnType<typeof configRef>,
  outer: AbortSignal,
  count: number | undefined,
  timeoutMs: number | undefined,
): AsyncIterable<ConfigEvent> {
  const inner = new AbortController();
  const stop = () => inner.abort();
  outer.addEventListener('abort', stop, { once: true });
  let timedOut = false;
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), inner.abort()), timeoutMs);
  let seen = 0;
  try {
    for await (const event of watch(ref, inner.signal)) {
      yield event;
      if (count !== undefined && ++seen >= count) return;
    }
    if (timedOut && count !== undefined && seen < count) {
      throw new OpsError('failed', `saw ${seen} of ${count} changes to ${ref.dataId} before the ${timeoutMs} ms timeout`, 'raise --timeout, or check that the publisher ran');
    }
  } finally {
    if (timer) clearTimeout(timer);
    outer.removeEventListener('abort', stop);
    inner.abort();
  }
}
