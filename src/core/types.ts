/**
 * Domain shapes shared by commands, renderers and adapters. The JSON output of the CLI is made of
 * these, so renaming a field is a breaking change for every runbook that reads it.
 */

export interface ServiceSummary {
  namespace: string;
  group: string;
  name: string;
  instances: number;
  healthy: number;
}

export interface InstanceView {
  id: string;
  ip: string;
  port: number;
  weight: number;
  healthy: boolean;
  enabled: boolean;
  ephemeral: boolean;
  metadata: Record<string, string>;
}

export interface ServiceDetail {
  namespace: string;
  group: string;
  name: string;
  instances: InstanceView[];
}

export type ConfigType = 'yaml' | 'json' | 'properties' | 'text';
export const CONFIG_TYPES: readonly ConfigType[] = ['yaml', 'json', 'properties', 'text'];

export interface ConfigItem {
  namespace: string;
  group: string;
  dataId: string;
  content: string;
  md5: string;
  type: ConfigType;
  version: number;
}

export interface ConfigSummary {
  namespace: string;
  group: string;
  dataId: string;
  md5: string;
  type: ConfigType;
  version: number;
  updatedAt: string;
}

export type ConfigOp = 'create' | 'update' | 'delete' | 'rollback';

export interface ConfigVersion {
  version: number;
  md5: string;
  updatedAt: string;
  op: ConfigOp;
}

export interface ConfigEvent {
  namespace: string;
  group: string;
  dataId: string;
  op: ConfigOp;
  version: number;
  md5: string | null;
  content: string | null;
  at: string;
}

/** One lock as the store shows it. Every fact the store does not hold is null, never guessed. */
export interface LockView {
  backend: string;
  name: string;
  kind: string;
  holder: string | null;
  acquiredAt: string | null;
  expiresAt: string | null;
  ttlMs: number | null;
  reentrancy: number | null;
  waiters: LockWaiter[] | null;
  token: number | string | null;
  /** Layout-specific facts (read-write mode and readers, semaphore permits, Redlock nodes). */
  details?: Record<string, unknown>;
}

export interface LockWaiter {
  owner: string;
  since: string | null;
  /** When the waiter gives up, where the store records it. */
  until: string | null;
}

export interface AcquireResult {
  name: string;
  holder: string;
  token: number | string | null;
  expiresAt: string | null;
}

export interface ReleaseResult {
  name: string;
  released: boolean;
  /** Holds left after a reentrant release; 0 means the lock is free. */
  remaining: number;
  forced: boolean;
  previousHolder: string | null;
}

export interface BackendStatus {
  subsystem: string;
  backend: string;
  reachable: boolean;
  version: string | null;
  latencyMs: number | null;
  error: string | null;
}
