import type { OptionSpec } from '../../commands/types.js';
import { GLOBAL_FLAGS } from '../../commands/global-options.js';
import { OUTPUT_FORMATS } from '../../render/output.js';

/**
 * GLOBAL_FLAGS as OptionSpecs, so completion treats them like a command's own options. The table
 * there is written as commander flag strings ("-o, --output <format>"); this reads them back and
 * adds what completion needs to know about their values.
 */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = GLOBAL_FLAGS.flatMap((g): OptionSpec[] => {
  const m = /^(?:-([A-Za-z]), )?--([A-Za-z][\w-]*)(?: <([^>]+)>)?$/.exec(g.flags);
  if (!m) return [];
  const name = m[2]!;
  const spec: OptionSpec = { name, summary: g.summary };
  if (m[1] !== undefined) spec.short = m[1];
  if (m[3] !== undefined) spec.value = m[3];
  if (name === 'output') spec.choices = OUTPUT_FORMATS;
  if (name === 'profile') spec.complete = 'profile';
  return [spec];
});
