import { connect, type EurekaAdapter } from '../../src/adapters/eureka/index.js';

export { failure } from './nacos-support.js';

/** Helpers of the Eureka adapter tests: adapters opened on a url, closed together after the tests. */

const open: EurekaAdapter[] = [];

/** An adapter named `eureka-test` on the url (a real server's REST root, or a hostile fake). */
export async function eurekaAdapterFor(url: string, extra: Record<string, unknown> = {}): Promise<EurekaAdapter> {
  const a = await connect({ url, ...extra }, { dataDir: '/nonexistent', version: 'test', name: 'eureka-test' });
  open.push(a);
  return a;
}

export async function closeEurekaAdapters(): Promise<void> {
  await Promise.all(open.splice(0).map((a) => a.dispose()));
}
