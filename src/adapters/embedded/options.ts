import { defineOptions, duration, fields, int, list, str, strList, strMap, url } from '../kit/options.js';

const LABEL_NAME = { re: /^[a-zA-Z_][a-zA-Z0-9_]*$/, what: 'a Prometheus label name' };
const DAY = 86_400_000;

/**
 * The options of a `{type: embedded}` entry. The session picks the data dir (see
 * session/data-dir.ts: --data-dir, then OPSDECK_DATA_DIR, then this key) before connecting. The
 * other keys matter only on the `metrics:` entry: what the collector scrapes and how long the
 * store keeps samples (README "Embedded metrics").
 */
export const EMBEDDED_OPTIONS = defineOptions(
  { type: 'embedded', readme: 'The embedded backend' },
  {
    dataDir: str({ nonEmpty: true, hint: 'a directory whose parent exists, for example dataDir: /srv/opsdeck/staging' }),
    /** Extra targets: `{url, interval, labels}`; `job` defaults to "scrape" and `instance` to host:port. */
    scrape: list(
      fields(
        {
          url: url({ schemes: ['http', 'https'], required: 'scrape: [{url: http://127.0.0.1:9100/metrics}]', hint: 'the full URL of the metrics page' }),
          interval: duration({ bareMs: false, min: 1000, max: DAY, hint: 'for example interval: 15s' }),
          labels: strMap({ hint: 'for example labels: {job: node, env: prod}' }),
        },
        { hint: 'for example scrape: [{url: http://127.0.0.1:9100/metrics, interval: 15s, labels: {job: node}}]' },
      ),
      { hint: 'a list of targets, for example scrape: [{url: http://127.0.0.1:9100/metrics}]' },
    ),
    /** For targets that name none, registry instances among them. */
    scrapeInterval: duration({ bareMs: false, min: 1000, max: DAY, default: 15_000, hint: 'for example scrapeInterval: 15s' }),
    retention: duration({ bareMs: false, min: 60_000, max: 3650 * DAY, default: DAY, hint: 'for example retention: 24h' }),
    retentionBytes: int({ min: 1024 * 1024, default: 256 * 1024 * 1024 }),
    /** How often collected samples are written to disk: what a crash can lose, and how fresh other processes' reads are. */
    flushInterval: duration({ bareMs: false, min: 1000, max: 3600_000, default: 10_000, hint: 'for example flushInterval: 10s' }),
    // Console-only keys (the services → metrics cross-view), as on a prometheus entry.
    serviceLabel: str({ pattern: LABEL_NAME, hint: 'for example serviceLabel: app' }),
    serviceQueries: strList({ nonEmpty: true, hint: 'for example serviceQueries: [\'up{job="{service}"}\'] ({service} is replaced by the service name)' }),
    drift: fields(
      {
        serviceLabel: str({ pattern: LABEL_NAME }),
        instanceLabel: str({ pattern: LABEL_NAME }),
        upQuery: str({ nonEmpty: true }),
      },
      { hint: 'for example drift: {serviceLabel: job, instanceLabel: instance, upQuery: up}' },
    ),
  },
);

export type EmbeddedOptions = ReturnType<typeof EMBEDDED_OPTIONS.read>;
