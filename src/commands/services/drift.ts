import { DRIFT_KINDS } from '../../core/drift.js';
import { defineCommand } from '../define-command.js';
import { choiceListOpt, stringOpt } from '../option-types.js';
import { driftExitCode, driftReport } from './drift-read.js';

/**
 * Where the profile's registries and Prometheus disagree (docs/drift.md). The console's drift view
 * reads the same `driftReport`, so the command and the view cannot tell different stories.
 */
export const servicesDrift = defineCommand({
  path: ['services', 'drift'],
  summary: 'Where the registries of the profile and Prometheus disagree: missing services, unscraped or unregistered instances, healthy but down, expired but listed',
  args: {},
  options: {
    service: stringOpt({ value: 'name', summary: 'only this service (case-insensitive, so ORDERS on Eureka is orders)', complete: 'service' }),
    ignore: choiceListOpt({ value: 'kind', summary: `leave out rows of this kind (repeatable): ${DRIFT_KINDS.join(', ')}`, choices: DRIFT_KINDS }),
  },
  examples: ['opsdeck services drift', 'opsdeck services drift --service orders -o json', 'opsdeck services drift --ignore service-missing --ignore not-registered'],
  mutates: false,
  async run(ctx, { opts }) {
    ctx.progress('reading every registry and the up series (Ctrl-C stops)');
    try {
      const report = await driftReport(ctx.session, { service: opts.service, ignore: opts.ignore }, { signal: ctx.signal });
      for (const s of report.sources) {
        if (s.error !== null) ctx.warn(`${s.role === 'metrics' ? 'metrics backend' : 'registry'} ${s.name} could not be read: ${s.error}`);
        for (const w of s.warnings ?? []) ctx.warn(`${s.name}: ${w}`);
      }
      return report;
    } finally {
      ctx.progress(null);
    }
  },
  exitCode: driftExitCode,
});
