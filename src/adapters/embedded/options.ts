import { defineOptions, str } from '../kit/options.js';

/**
 * The options of a `{type: embedded}` entry. The session picks the data dir (see
 * session/data-dir.ts: --data-dir, then OPSDECK_DATA_DIR, then this key) before connecting.
 */
export const EMBEDDED_OPTIONS = defineOptions(
  { type: 'embedded', readme: 'The embedded backend' },
  {
    dataDir: str({ nonEmpty: true, hint: 'a directory whose parent exists, for example dataDir: /srv/opsdeck/staging' }),
  },
);
