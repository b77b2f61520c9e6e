import type * as YamlModule from 'yaml';

/**
 * Loads the yaml library on first use. It is CommonJS under Node, so through the bundle its named
 * exports may sit on `default`; this hides that from callers.
 */
export async function loadYaml(): Promise<typeof YamlModule> {
  const mod = (await import('yaml')) as typeof YamlModule & { default?: typeof YamlModule };
  return mod.default && typeof mod.default.parseDocument === 'function' ? mod.default : mod;
}
