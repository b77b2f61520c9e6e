import { usage } from '../../core/errors.js';
import { typeOfName, type ConfigType } from '../../core/types.js';
import { loadYaml } from '../../lib/yaml.js';

/** Guesses the type from the data id's extension, the way Nacos users name their configs. */
export function typeFromDataId(dataId: string): ConfigType {
  return typeOfName(dataId) ?? 'text';
}

/**
 * Refuses to publish JSON or YAML that does not parse: a broken config pushed at 3 a.m. takes
 * every listener down with it. `--type text` is the escape hatch.
 */
export async function checkContent(content: string, type: ConfigType): Promise<void> {
  if (type === 'json') {
    try {
      JSON.parse(content);
    } catch (e) {
      throw usage(`the content is not valid JSON: ${(e as Error).message}`, 'fix it, or publish it as --type text');
    }
  } else if (type === 'yaml') {
    const { parseDocument } = await loadYaml();
    const doc = parseDocument(content);
    const err = doc.errors[0];
    if (err) {
      const p = err.linePos?.[0];
      throw usage(`the content is not valid YAML${p ? ` at line ${p.line}, column ${p.col}` : ''}: ${err.message.split('\n')[0]}`, 'fix it, or publish it as --type text');
    }
  }
}
