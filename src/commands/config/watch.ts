import type { ConfigEvent, ConfigRef } from '../../core/config-center.js';
import { OpsError } from '../../core/errors.js';
import { requireCapability } from '../capability.js';
import { defineCommand } from '../define-command.js';
import { durationOpt, intOpt } from '../option-types.js';
import type { Stream } from '../types.js';
import { CONFIG_OPTIONS, DATAID_ARG, findConfig } from './target.js';
import { childAbort } from '../../core/child-abort.js';

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
  async run(ctx, { args, opts }): Promise<Stream<ConfigEvent>> {
    // A config not created yet can be watched (its first publish is a change), so absent is fine.
    const t = await findConfig(ctx, args.dataId, opts, { creating: true, need: (c) => requireCapability(c, 'watch', 'watch config') });
    const config = requireCapability(t.backend, 'watch', 'watch config');
    return { stream: limited(config.watch.bind(config), t.ref, ctx.signal, opts.count, opts.timeout) };
  },
});

async function* limited(
  watch: (ref: ConfigRef, signal: AbortSignal) => AsyncIterable<ConfigEvent>,
  ref: ConfigRef,
  outer: AbortSignal,
  count: number | undefined,
  timeoutMs: number | undefined,
): AsyncIterable<ConfigEvent> {
  // A Ctrl-C that came while the config was being found stops the watch too.
  const { controller: inner, release } = childAbort(outer);
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
    release();
    inner.abort();
  }
}
