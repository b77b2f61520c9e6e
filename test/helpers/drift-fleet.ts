import { expect } from 'vitest';

/**
 * Registers an instance at `ip:port` straight with a Eureka server (no opsdeck), with a lease of
 * its own: a long one for an instance that stays, a short one never renewed for a crashed one.
 */
export async function eurekaRegister(eurekaUrl: string, app: string, address: string, leaseSeconds: number): Promise<void> {
  const [ip, port] = address.split(':');
  const instance = {
    instanceId: `${app.toLowerCase()}-${port}`, hostName: ip, app: app.toUpperCase(), ipAddr: ip, status: 'UP',
    port: { $: Number(port), '@enabled': 'true' },
    dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
    leaseInfo: { renewalIntervalInSecs: 1, durationInSecs: leaseSeconds },
  };
  const r = await fetch(`${eurekaUrl}/apps/${app.toUpperCase()}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instance }) });
  expect(r.status).toBe(204);
}
