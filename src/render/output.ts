import { loadYaml } from '../lib/yaml.js';
import type { Style } from './style.js';

export { OUTPUT_FORMATS, type OutputFormat } from '../core/output-format.js';
import type { OutputFormat } from '../core/output-format.js';

/** One complete result as text, without a trailing newline. */
export async function renderResult(commandId: string, data: unknown, format: OutputFormat, style: Style, now: number, width = 100): Promise<string> {
  if (format === 'json') return JSON.stringify(data, null, 2);
  if (format === 'yaml') {
    const { stringify } = await loadYaml();
    return stringify(data).replace(/\n$/, '');
  }
  return (await views()).renderView(commandId, data, style, now, width);
}

/** One item of a stream: NDJSON in json mode so consumers can read it line by line. */
export async function renderStreamItem(commandId: string, item: unknown, format: OutputFormat, style: Style, now: number): Promise<string> {
  if (format === 'json') return JSON.stringify(item);
  if (format === 'yaml') return `---\n${await renderResult(commandId, item, 'yaml', style, now)}`;
  return (await views()).renderView(commandId, item, style, now);
}

/**
 * The table views (and the charts they draw) load only for table output: scripts asking for JSON
 * start faster without them, and JSON is what every runbook asks for.
 */
function views(): Promise<typeof import('./views.js')> {
  return import('./views.js');
}
