/** Key layout of the embedded store. Each path part is URI-encoded so "/" inside a name is safe. */
const enc = encodeURIComponent;

export const keys = {
  instancePrefix: (ns?: string, group?: string, service?: string) =>
    'inst/' + [ns, group, service].filter((p): p is string => p !== undefined).map((p) => enc(p) + '/').join(''),
  instance: (ns: string, group: string, service: string, ip: string, port: number) =>
    `inst/${enc(ns)}/${enc(group)}/${enc(service)}/${ip}:${port}`,
  configPrefix: (ns?: string, group?: string) =>
    'cfg/' + [ns, group].filter((p): p is string => p !== undefined).map((p) => enc(p) + '/').join(''),
  config: (ns: string, group: string, dataId: string) => `cfg/${enc(ns)}/${enc(group)}/${enc(dataId)}`,
  configHistoryPrefix: (ns: string, group: string, dataId: string) => `cfgh/${enc(ns)}/${enc(group)}/${enc(dataId)}/`,
  configHistory: (ns: string, group: string, dataId: string, version: number) =>
    `cfgh/${enc(ns)}/${enc(group)}/${enc(dataId)}/${String(version).padStart(10, '0')}`,
  configVersionCounter: (ns: string, group: string, dataId: string) => `cfgv/${enc(ns)}/${enc(group)}/${enc(dataId)}`,
  lockPrefix: (prefix = '') => `lock/${prefix}`,
  lock: (name: string) => `lock/${name}`,
  fence: 'meta/fence',
};

/** Splits a key made by `keys` back into its decoded parts (without the leading tag). */
export function splitKey(key: string): string[] {
  return key.split('/').slice(1).map(decodeURIComponent);
}
