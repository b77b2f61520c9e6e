/** A backend entry of a profile: `{type, url, ...}` with the rest passed to the adapter. */
export interface BackendSpec {
  type: string;
  name?: string;
  [option: string]: unknown;
}

export interface Profile {
  name: string;
  readOnly: boolean;
  production: boolean;
  registry?: BackendSpec;
  config?: BackendSpec;
  locks: BackendSpec[];
  metrics?: BackendSpec;
  cache?: BackendSpec;
  /** Distributed transactions (Seata). */
  tx?: BackendSpec;
  /** Where the profile came from, for messages: a file path or "built-in". */
  source: string;
}

export interface ProfileSet {
  /** The file read, or null when none exists and only the built-in profile is available. */
  file: string | null;
  defaultProfile: string;
  profiles: Map<string, Profile>;
}

export const BUILTIN_LOCAL: Profile = {
  name: 'local',
  readOnly: false,
  production: false,
  registry: { type: 'embedded' },
  config: { type: 'embedded' },
  locks: [{ type: 'embedded' }],
  source: 'built-in',
};
