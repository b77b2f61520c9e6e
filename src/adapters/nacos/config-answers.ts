import { createHash } from 'node:crypto';
import { CONFIG_TYPES, type ConfigType } from '../../core/types.js';
import type { AnswerShape } from '../kit/shape.js';
import { at, optNum, optText } from './answers.js';

/**
 * The config answers opsdeck reads. 1.x/2.x (`/v1/cs/...`) and 3.x (`/v3/admin/cs/...`) differ in
 * names (`group`/`groupName`, `tenant`/`namespaceId`) and in what they fill: 2.3.2's search rows
 * carry the content but no md5 or type, 3.x's carry the md5 but no content. Only what opsdeck uses
 * is required.
 */

type Obj = Record<string, unknown>;

export function md5Of(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Nacos' type word in opsdeck's terms (`yml` is yaml); a word Nacos does not define either is text. */
export function configType(raw: string | undefined | null): ConfigType {
  const word = (raw ?? '').toLowerCase();
  if (word === 'yml') return 'yaml';
  return (CONFIG_TYPES as readonly string[]).includes(word) ? (word as ConfigType) : 'text';
}

/** Epoch ms (3.x, 2.x detail) or an ISO text (2.x history) as ISO; null for 0 and the dummy dates Nacos sends. */
export function isoOf(v: unknown): string | null {
  const d = typeof v === 'number' ? (v > 0 ? new Date(v) : null) : typeof v === 'string' && v !== '' ? new Date(v) : null;
  return d === null || Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export interface ConfigDetail {
  content: string;
  md5: string;
  /** The type word as Nacos stores it (kept when opsdeck republishes: see `set`). */
  rawType: string | null;
  desc: string | null;
  updatedAt: string | null;
}

/** 2.x `/v1/cs/configs?show=all` or 3.x `/v3/admin/cs/config` data. */
export function readConfigDetail(s: AnswerShape, v: unknown, path: string): ConfigDetail {
  const o = s.object(v, path);
  const content = s.str(o, 'content', path);
  return {
    content,
    md5: optText(s, o, 'md5', path) ?? md5Of(content),
    rawType: optText(s, o, 'type', path) ?? null,
    desc: optText(s, o, 'desc', path) ?? null,
    updatedAt: isoOf(optNum(s, o, 'modifyTime', path)),
  };
}

export interface ConfigRow {
  dataId: string;
  group: string;
  type: ConfigType | null;
  md5: string | null;
}

/** One search row: 2.x `{dataId, group, content, md5: null, type}`, 3.x `{dataId, groupName, md5, type}`. */
export function readConfigRow(s: AnswerShape, v: unknown, path: string): ConfigRow {
  const o = s.object(v, path);
  const content = optText(s, o, 'content', path);
  const rawType = optText(s, o, 'type', path);
  return {
    dataId: s.str(o, 'dataId', path),
    group: optText(s, o, 'groupName', path) ?? s.str(o, 'group', path),
    type: rawType === undefined ? null : configType(rawType),
    md5: optText(s, o, 'md5', path) ?? (content === undefined ? null : md5Of(content)),
  };
}

export interface HistoryRow {
  id: string;
  /** I, U or D (Nacos pads it with spaces). */
  opType: string;
  at: string | null;
  by: string | null;
  from: string | null;
  /** `gray` for beta and tag releases (2.5+ and 3.x write rows for them); absent before 2.5. */
  publishType: string | null;
}

/** One history row: 2.x `lastModifiedTime` (ISO text), 3.x `modifyTime` (epoch ms). */
export function readHistoryRow(s: AnswerShape, v: unknown, path: string): HistoryRow {
  const o = s.object(v, path);
  const id = o.id;
  if (typeof id !== 'string' && typeof id !== 'number') throw s.fail(at(path, 'id'), 'an id', id);
  return {
    id: String(id),
    opType: s.str(o, 'opType', path).trim(),
    at: isoOf(o.modifyTime ?? o.lastModifiedTime),
    by: optText(s, o, 'srcUser', path) ?? null,
    from: optText(s, o, 'srcIp', path) ?? null,
    publishType: optText(s, o, 'publishType', path) ?? null,
  };
}

/** Who listens: `{ip: md5}` (2.x `lisentersGroupkeyStatus`, sic; 3.x `listenersStatus`). */
export function readListenerMap(s: AnswerShape, v: unknown, path: string): Array<{ ip: string; md5: string | null }> {
  if (v === undefined || v === null) return [];
  const o = s.object(v, path);
  return Object.entries(o)
    .map(([ip, md5]) => ({ ip, md5: typeof md5 === 'string' && md5 !== '' ? md5 : null }))
    .sort((a, b) => a.ip.localeCompare(b.ip));
}

/** A beta release: 2.x `{content, betaIps: "a,b"}`, 3.x `{content, grayRule: "{\"expr\":\"a,b\",…}"}`. */
export function readBeta(s: AnswerShape, v: unknown, path: string): { content: string; ips: string[] } {
  const o: Obj = s.object(v, path);
  let ips = optText(s, o, 'betaIps', path);
  if (ips === undefined) {
    const rule = optText(s, o, 'grayRule', path);
    if (rule === undefined) throw s.fail(at(path, 'betaIps'), 'the beta IPs', undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(rule);
    } catch {
      throw s.fail(at(path, 'grayRule'), 'a JSON gray rule', rule);
    }
    ips = s.str(s.object(parsed, at(path, 'grayRule')), 'expr', at(path, 'grayRule'));
  }
  return {
    content: s.str(o, 'content', path),
    ips: ips
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== ''),
  };
}
