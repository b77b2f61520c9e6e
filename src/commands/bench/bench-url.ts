import { arg } from '../arg-types.js';
import { defineCommand } from '../define-command.js';
import { LOAD_OPTIONS } from './load-options.js';
import { loadPlan, targetUrl } from './load-plan.js';
import { checkLoadSafety } from './load-safety.js';

export const benchUrl = defineCommand({
  path: ['bench'],
  summary: 'Send HTTP load to a URL and report latency (p50…p99.999), req/s, status codes and socket errors, as wrk does',
  args: { url: arg({ summary: 'http:// or https:// URL to load' }) },
  options: LOAD_OPTIONS,
  examples: [
    'opsdeck bench http://localhost:8080/health -d 30s -c 50',
    'opsdeck bench http://localhost:8080/orders -X POST -H "Content-Type: application/json" --body @order.json --rate 500',
    'opsdeck bench http://localhost:8080/ -n 10000 -o json > before.json',
  ],
  // Load is not a change to anything opsdeck manages: a read-only profile may bench.
  mutates: false,
  async run(ctx, { args, opts, given }) {
    const url = targetUrl(args.url);
    const plan = await loadPlan(ctx, opts, given, [{ url: url.href }]);
    await checkLoadSafety(ctx, plan);
    // The engine, its reachability check (node:net) and its views load only when a bench runs.
    const { runBench } = await import('./run-bench.js');
    return runBench(ctx, plan);
  },
});
