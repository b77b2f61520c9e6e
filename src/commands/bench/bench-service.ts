import { OpsError, usage } from '../../core/errors.js';
import { matchInstance, type InstanceView } from '../../core/registry.js';
import type { LoadTarget } from '../../loadgen/load-types.js';
import { choiceOpt, stringOpt } from '../option-types.js';
import { defineCommand } from '../define-command.js';
import { SERVICE_ARG, SERVICE_OPTIONS, findService } from '../services/target.js';
import { LOAD_OPTIONS } from './load-options.js';
import { loadPlan } from './load-plan.js';
import { checkLoadSafety } from './load-safety.js';

export const benchService = defineCommand({
  path: ['bench', 'service'],
  summary: "Spread HTTP load over a service's healthy, enabled instances from the registry; a row per instance shows which one is slow",
  args: SERVICE_ARG,
  options: {
    ...SERVICE_OPTIONS,
    path: stringOpt({ value: 'path', summary: 'request path on every instance', default: '/' }),
    scheme: choiceOpt({ value: 'scheme', choices: ['http', 'https'] as const, summary: 'scheme of the instances', default: 'http' }),
    instances: stringOpt({ value: 'a,b', summary: 'only these instances (ids or IP:PORT, comma-separated)' }),
    ...LOAD_OPTIONS,
  },
  examples: [
    'opsdeck bench service orders --path /health -d 30s -c 40',
    'opsdeck bench service orders --namespace staging --instances 10.0.0.7:8080,10.0.0.8:8080 --rate 200',
  ],
  mutates: false,
  async run(ctx, { args, opts, given }) {
    if (!opts.path.startsWith('/')) throw usage(`--path must start with /, not "${opts.path}"`, `for example --path /${opts.path}`);
    const service = (await findService(ctx, args.service, opts)).found!;
    const picked = pickInstances(args.service, service.instances, opts.instances);
    const targets: LoadTarget[] = picked.map((i) => ({ url: `${opts.scheme}://${i.ip.includes(':') ? `[${i.ip}]` : i.ip}:${i.port}${opts.path}`, label: i.id }));
    const plan = await loadPlan(ctx, opts, given, targets);
    await checkLoadSafety(ctx, plan);
    // The engine, its reachability check (node:net) and its views load only when a bench runs.
    const { runBench } = await import('./run-bench.js');
    return runBench(ctx, plan);
  },
});

/** The healthy, enabled instances, narrowed to `--instances` when given; none left is an error saying why. */
export function pickInstances(service: string, all: readonly InstanceView[], only: string | undefined): InstanceView[] {
  const usable = all.filter((i) => i.health === 'passing' && i.traffic === 'enabled');
  if (only !== undefined) {
    const names = only.split(',').map((s) => s.trim()).filter(Boolean);
    if (names.length === 0) throw usage('--instances names no instance', 'give instance ids or IP:PORT, comma-separated');
    return names.map((name) => {
      const m = matchInstance({ instances: all as InstanceView[] }, name);
      if (m.kind === 'none') throw usage(`service ${service} has no instance ${name}`, `see its instances with "opsdeck services show ${service}"`);
      if (m.kind === 'ambiguous') throw usage(`${name} names several instances of ${service}: ${m.candidates.map((c) => c.id).join(', ')}`, 'give the instance id');
      if (!usable.includes(m.instance)) throw new OpsError('failed', `instance ${m.instance.id} of ${service} is ${m.instance.traffic === 'disabled' ? 'drained' : m.instance.health}, not healthy and enabled`, 'leave it out of --instances, or undrain it first');
      return m.instance;
    });
  }
  if (usable.length === 0) {
    const why = all.length === 0 ? 'no instances registered' : `${all.length} registered, none both passing and enabled (${summary(all)})`;
    throw new OpsError('failed', `service ${service} has no healthy, enabled instance to load: ${why}`, `see them with "opsdeck services show ${service}"`);
  }
  return usable;
}

function summary(all: readonly InstanceView[]): string {
  const counts = new Map<string, number>();
  for (const i of all) {
    const k = i.traffic === 'disabled' ? 'drained' : i.health;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}
