import { parse, stringify } from 'yaml';
import type { DubboUrl } from './registry-layouts.js';

/**
 * Dubbo's override rules ("configurators"), the way Dubbo itself takes a provider out of traffic
 * (Dubbo's docs, "disable a provider"; Dubbo-Admin writes the same): a YAML rule in Dubbo's
 * dynamic configuration, which on ZooKeeper is the node `{dubboRoot}/config/dubbo/{key}.configurators`.
 * - application scope: the node `{application}.configurators`, `key: {application}`;
 * - service scope: the node `{interface}:{version}:{group}.configurators` (Dubbo's
 *   URL.getColonSeparatedKey, empty parts kept), `key: [{group}/]{interface}[:{version}]`.
 * A drain is one config item `{addresses: [ip:port], side: provider, parameters: {disabled: true}}`:
 * the provider applies it (it re-exports with `disabled=true` in its URL) and consumers skip it.
 * Dubbo refuses an item without parameters, so an undrain that empties one drops it.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface RuleTarget {
  /** The znode that holds the rule. */
  path: string;
  scope: 'application' | 'service';
  /** The rule's `key`. */
  key: string;
}

export function appRule(dubboRoot: string, application: string): RuleTarget {
  return { path: `${dubboRoot}/config/dubbo/${application}.configurators`, scope: 'application', key: application };
}

export function serviceRule(dubboRoot: string, url: DubboUrl): RuleTarget {
  const iface = url.params.interface ?? url.path;
  const version = url.params.version ?? '';
  const group = url.params.group ?? '';
  const key = `${group ? `${group}/` : ''}${iface}${version ? `:${version}` : ''}`;
  return { path: `${dubboRoot}/config/dubbo/${iface}:${version}:${group}.configurators`, scope: 'service', key };
}

/** A rule node's content: the rule, or why opsdeck cannot read it (the old JSON list of override URLs, broken YAML). */
export type ParsedRule = { rule: Obj } | { unreadable: string };

export function parseRule(content: string): ParsedRule {
  let v: unknown;
  try {
    v = parse(content);
  } catch (e) {
    return { unreadable: `not YAML (${e instanceof Error ? e.message.split('\n')[0] : String(e)})` };
  }
  if (Array.isArray(v)) return { unreadable: 'a list of override URLs (the old format)' };
  if (!isObj(v)) return { unreadable: 'not a rule (a YAML mapping with configs)' };
  if (v.configs !== undefined && !Array.isArray(v.configs)) return { unreadable: 'configs is not a list' };
  return { rule: v };
}

const isTrue = (v: unknown): boolean => v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
const itemsOf = (rule: Obj): unknown[] => (Array.isArray(rule.configs) ? rule.configs : []);

/** Whether the item speaks to the provider at ip:port: Dubbo matches the port exactly, the host exactly or as 0.0.0.0. */
function addressed(item: Obj, ip: string, port: number): boolean {
  const addresses = Array.isArray(item.addresses) ? item.addresses.map(String) : [];
  const hit = addresses.some((a) => a === `${ip}:${port}` || a === `0.0.0.0:${port}`);
  if (!hit) return false;
  const providers = Array.isArray(item.providerAddresses) ? item.providerAddresses.map(String) : null;
  return providers === null || providers.length === 0 || providers.some((a) => a === `${ip}:${port}` || a.startsWith('0.0.0.0'));
}

/** Whether the rule takes the provider at ip:port out of traffic. */
export function disables(rule: Obj, ip: string, port: number): boolean {
  if (rule.enabled === false) return false;
  return itemsOf(rule).some((i) => isObj(i) && i.side === 'provider' && addressed(i, ip, port) && isObj(i.parameters) && isTrue(i.parameters.disabled));
}

/** The rule with a drain of ip:port added; null when it drains that provider already. */
export function withDrain(rule: Obj | null, target: RuleTarget, ip: string, port: number): Obj | null {
  if (rule && disables(rule, ip, port)) return null;
  const item = { addresses: [`${ip}:${port}`], side: 'provider', parameters: { disabled: true } };
  if (!rule) return { configVersion: 'v2.7', scope: target.scope, key: target.key, enabled: true, configs: [item] };
  return { ...rule, enabled: true, configs: [...itemsOf(rule), item] };
}

/**
 * The rule without the drains of ip:port: the address leaves items that name others too, and an
 * item left without parameters goes. `rule: null` means nothing is left (delete the node).
 * `other` tells whether something opsdeck may not lift still disables it (a 0.0.0.0:port item).
 */
export function withoutDrain(rule: Obj, ip: string, port: number): { rule: Obj | null; changed: boolean; other: boolean } {
  const mine = `${ip}:${port}`;
  let changed = false;
  const kept: unknown[] = [];
  for (const i of itemsOf(rule)) {
    if (!isObj(i) || i.side !== 'provider' || !isObj(i.parameters) || !isTrue(i.parameters.disabled) || !Array.isArray(i.addresses) || !i.addresses.map(String).includes(mine)) {
      kept.push(i);
      continue;
    }
    changed = true;
    if (i.addresses.length > 1) {
      kept.push({ ...i, addresses: i.addresses.filter((a) => String(a) !== mine) });
      continue;
    }
    const { disabled: _gone, ...parameters } = i.parameters;
    if (Object.keys(parameters).length > 0) kept.push({ ...i, parameters });
  }
  const next = kept.length === 0 ? null : { ...rule, configs: kept };
  return { rule: next, changed, other: next !== null && disables(next, ip, port) };
}

export function renderRule(rule: Obj): string {
  return stringify(rule);
}
