/**
 * The percentiles every latency snapshot carries. A module of its own so that `bench compare`
 * (and so the command table every start loads) reads them without loading the HDR histogram code.
 */
export const SNAPSHOT_PERCENTILES = [50, 75, 90, 99, 99.9, 99.99, 99.999, 100] as const;
