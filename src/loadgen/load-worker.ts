/** A load worker thread's entry: runs its share of the plan on its own event loop. */
import { parentPort, workerData } from 'node:worker_threads';
import { WorkerLoad } from './worker-load.js';
import type { ToWorker, WorkerPlan } from './worker-messages.js';

const port = parentPort!;
const load = new WorkerLoad(workerData as WorkerPlan, (m) => port.postMessage(m));
port.on('message', (m: ToWorker) => {
  if (m.type === 'go') load.start();
  else load.stop();
});
load.prepare(() => port.postMessage({ type: 'ready' }));
