import { cacheBigkeys } from './cache/bigkeys.js';
import { cacheHotkeys } from './cache/hotkeys.js';
import { cacheKeys } from './cache/keys.js';
import { cacheStats } from './cache/stats.js';
import { servicesList } from './services/list.js';
import { servicesShow } from './services/show.js';
import { servicesDrift } from './services/drift.js';
import { configDelete } from './config/delete.js';
import { configDiff } from './config/diff.js';
import { configGet } from './config/get.js';
import { configHistory } from './config/history.js';
import { configList } from './config/list.js';
import { configRollback } from './config/rollback.js';
import { configSet } from './config/set.js';
import { configWatch } from './config/watch.js';
import { instancesDeregister } from './instances/deregister.js';
import { instancesHeartbeat } from './instances/heartbeat.js';
import { instancesRegister } from './instances/register.js';
import { instancesDrain, instancesUndrain } from './instances/traffic.js';
import { instancesMeta } from './instances/meta.js';
import { instancesWeight } from './instances/weight.js';
import { configBeta, configBetaStop } from './config/beta.js';
import { configListeners } from './config/listeners.js';
import { namespacesList } from './misc/namespaces.js';
import { locksAcquire } from './locks/acquire.js';
import { locksList } from './locks/list.js';
import { locksRelease } from './locks/release.js';
import { locksShow } from './locks/show.js';
import { completion } from './misc/completion.js';
import { demo } from './misc/demo.js';
import { help } from './misc/help.js';
import { status } from './misc/status.js';
import { version } from './misc/version.js';
import { profileList } from './profile/list.js';
import { profileShow } from './profile/show.js';
import { metricsAlerts, metricsLabels, metricsMetadata, metricsRules, metricsSeries, metricsTargets } from './metrics/info.js';
import { metricsQuery } from './metrics/query.js';
import { metricsRange } from './metrics/range.js';
import { metricsStores } from './metrics/stores.js';
import { metricsWatch } from './metrics/watch.js';
import { txList } from './tx/list.js';
import { txLocks } from './tx/locks.js';
import { txShow } from './tx/show.js';
import { benchUrl } from './bench/bench-url.js';
import { benchService } from './bench/bench-service.js';
import { benchCompare } from './bench/bench-compare.js';
import type { CommandSpec } from './types.js';

/** The one command table. The CLI, replay, help and the console's completion derive from it. */
export const COMMANDS: readonly CommandSpec[] = Object.freeze([
  servicesList,
  servicesShow,
  servicesDrift,
  instancesRegister,
  instancesDeregister,
  instancesDrain,
  instancesUndrain,
  instancesHeartbeat,
  instancesWeight,
  instancesMeta,
  namespacesList,
  configList,
  configGet,
  configSet,
  configDelete,
  configHistory,
  configDiff,
  configRollback,
  configWatch,
  configListeners,
  configBeta,
  configBetaStop,
  locksList,
  locksShow,
  locksAcquire,
  locksRelease,
  profileList,
  profileShow,
  status,
  version,
  help,
  completion,
  demo,
  cacheStats,
  cacheKeys,
  cacheHotkeys,
  cacheBigkeys,
  metricsQuery,
  metricsRange,
  metricsWatch,
  metricsTargets,
  metricsAlerts,
  metricsRules,
  metricsLabels,
  metricsSeries,
  metricsMetadata,
  metricsStores,
  txList,
  txShow,
  txLocks,
  benchUrl,
  benchService,
  benchCompare,
]);
