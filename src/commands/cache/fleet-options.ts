import { durationOpt } from '../option-types.js';

/** The options `cache list` and `cache show` share: the window over Prometheus' counters, and Redis' sample. */
export const FLEET_OPTIONS = {
  window: durationOpt({ summary: 'hit ratio and rates over this window of the metrics backend (compared with the hour before it)', default: '5m', min: '10s', max: '1d' }),
  sample: durationOpt({ summary: "how long to watch Redis' INFO counters for its rates (Redis keeps no history)", default: '1s', min: '100ms', max: '1m' }),
};
