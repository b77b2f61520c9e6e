import { bool, credentialsOf, defineOptions, duration, int, num, str, urlWithAuth } from '../kit/options.js';

/** The options of a `{type: eureka}` entry (under `registry:`). Loads no client library. */
export const EUREKA_OPTIONS = defineOptions(
  { type: 'eureka', readme: 'Eureka' },
  {
    /** The REST root with its context path, e.g. http://eureka:8761/eureka; credentials in it become username/password. */
    url: urlWithAuth({ schemes: ['http', 'https'], required: 'url: http://eureka:8761/eureka', hint: 'the Eureka server with its REST path, usually /eureka (the one clients have in eureka.client.service-url)' }),
    /** HTTP basic auth, for a server behind Spring Security. */
    username: str({ nonEmpty: true }),
    password: str(),
    /** Per request (connect, headers and body together). */
    timeoutMs: duration({ bareMs: true, default: 10_000 }),
    /** Answers bigger than this are refused instead of filling memory (the whole registry comes in one answer). */
    maxResponseBytes: int({ min: 1024, default: 64 * 1024 * 1024 }),
    /**
     * Whether the server runs with self-preservation on (`eureka.server.enable-self-preservation`,
     * on by default). opsdeck cannot ask the server, so the banner relies on this.
     */
    selfPreservation: bool({ default: true, hint: 'false when the server runs with eureka.server.enable-self-preservation=false' }),
    /** The server's `eureka.server.renewal-percent-threshold`, for the self-preservation estimate. */
    renewalPercentThreshold: num({ min: 0, max: 1, default: 0.85, hint: "the server's eureka.server.renewal-percent-threshold (0.85 unless changed)" }),
    /** The server's `eureka.server.expected-client-renewal-interval-seconds`, for the same estimate. */
    expectedClientRenewalIntervalSeconds: int({ min: 1, max: 3600, default: 30, hint: "the server's eureka.server.expected-client-renewal-interval-seconds (30 unless changed)" }),
    /**
     * At most this many instances read one by one per command: Eureka's listings are cached and
     * their lease times can be minutes old, so services show reads each instance, and services
     * list reads those whose listed lease looks expired.
     */
    maxInstanceReads: int({ default: 500 }),
    /** How long a write waits for the server to show its effect, and a deregistration watches for the instance coming back. */
    settleTimeoutMs: duration({ bareMs: true, default: 5000 }),
  },
  (o, x) => ({ ...o, url: o.url.url, ...credentialsOf(o, x, { none: 'a server without Spring Security needs neither', secret: 'EUREKA_PASSWORD' }) }),
);

/** A `{type: eureka}` entry, validated, with the backend column name. */
export type EurekaOptions = ReturnType<typeof EUREKA_OPTIONS.read> & { name: string };

export function parseEurekaOptions(o: Record<string, unknown>, name: string): EurekaOptions {
  return { ...EUREKA_OPTIONS.read(o), name };
}
