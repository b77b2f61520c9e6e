import { loadYaml } from '../lib/yaml.js';
import type { Style } from './style.js';
import { renderView } from './views.js';

export { OUTPUT_FORMATS, type OutputFormat } from '../core/output-format.js';
import type { OutputFormat } from '../core/output-format.js';

/** One complete result as text, without a trailing newline. */
export async function renderResult(commandId: string, data: unknown, format: OutputFormat, style: Style, now: number, width = 100): Promise<string> {
  if (format === 'json') return JSON.stringify(data, null, 2);
  if (format === 'yaml') {
    const { stringify } = await loadYaml();
    return stringify(data).replace(/\n$/, '');
  }
  return renderView(commandId, data, style, now, width);
}

/** One item of a stream: NDJSON in json mode so consumers can read it line by line. */
export async function renderStreamItem(commandId: string, item: unknown, format: OutputFormat, style: Style, now: number): Promise<string> {
  if (format === 'json') return JSON.stringify(item);
  if (format === 'yaml') return `---\n${await renderResult(commandId, item, 'yaml', style, now)}`;
  return renderView(commandId, item, style, now);
}
