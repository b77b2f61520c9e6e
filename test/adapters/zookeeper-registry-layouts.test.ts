import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { appRule, disables, parseRule, renderRule, serviceRule, withDrain, withoutDrain } from '../../src/adapters/zookeeper/dubbo-rules.js';
import { metadataOf, parseCuratorInstance, parseDubboUrl, springStatus, springTakesTraffic, withMetadata, withSpringStatus } from '../../src/adapters/zookeeper/registry-layouts.js';

/**
 * The recogniser and Dubbo's override rules on node data as measured from the real applications
 * (docs/dev/zookeeper-registry-facts.md §1, §3, §4); the real applications themselves are in
 * test/interop/zk-registry.test.ts.
 */

const uriSpec = { parts: [{ value: 'scheme', variable: true }, { value: '://', variable: false }, { value: 'address', variable: true }] };
const SPRING = { name: 'shop', id: 'eebc6c05-7d1f-4f72-92d4-75fabcc789da', address: '127.0.0.1', port: 28911, sslPort: null, payload: { '@class': 'org.springframework.cloud.zookeeper.discovery.ZookeeperInstance', id: 'shop', name: 'shop', metadata: { zone: 'z1', instance_status: 'UP' } }, registrationTimeUTC: 1796633535010, serviceType: 'DYNAMIC', uriSpec };
const DUBBO_APP = { name: 'shop-dubbo', id: '198.51.100.7:42817', address: '198.51.100.7', port: 42817, sslPort: null, payload: { '@class': 'org.apache.dubbo.registry.zookeeper.ZookeeperInstance', id: '198.51.100.7:42817', name: 'shop-dubbo', metadata: { 'dubbo.endpoints': '[{"port":42817,"protocol":"dubbo"}]', 'meta-v': '1.0.0' } }, registrationTimeUTC: 1796633536720, serviceType: 'DYNAMIC', uriSpec: null };
const CURATOR = { name: 'billing', id: 'billing-1', address: '127.0.0.1', port: 28903, sslPort: null, payload: { '@class': 'java.util.LinkedHashMap', zone: 'z1', weight: '3' }, registrationTimeUTC: 1796633535300, serviceType: 'DYNAMIC', uriSpec };
const buf = (o: unknown) => Buffer.from(JSON.stringify(o));
const ECHO_NODE =
  'dubbo%3A%2F%2F198.51.100.7%3A42817%2Fopsdeck.interop.zk.Api%24Echo%3Fapplication%3Dshop-dubbo%26deprecated%3Dfalse%26dubbo%3D2.0.2%26dynamic%3Dtrue%26generic%3Dfalse%26interface%3Dopsdeck.interop.zk.Api%24Echo%26methods%3Decho%26prefer.serialization%3Dhessian2%2Cfastjson2%26release%3D3.3.4%26side%3Dprovider%26timestamp%3D1796633536168';

describe('the recogniser tells the layouts apart from the node data', () => {
  it('Spring Cloud Zookeeper: its payload class; the status is instance_status, not metadata', () => {
    const i = parseCuratorInstance(buf(SPRING))!;
    expect(i).toMatchObject({ layout: 'spring-cloud', id: SPRING.id, address: '127.0.0.1', port: 28911, enabled: null });
    expect(metadataOf(i)).toEqual({ zone: 'z1' });
    expect(springStatus(i)).toBe('UP');
  });

  it("Dubbo's application level shares /services but has Dubbo's payload class", () => {
    const i = parseCuratorInstance(buf(DUBBO_APP))!;
    expect(i.layout).toBe('dubbo-app');
    expect(metadataOf(i)).toEqual(DUBBO_APP.payload.metadata);
  });

  it('any other Curator ServiceInstance is plain curator-x-discovery; its map payload is the metadata', () => {
    const i = parseCuratorInstance(buf(CURATOR))!;
    expect(i.layout).toBe('curator');
    expect(metadataOf(i)).toEqual({ zone: 'z1', weight: '3' });
    expect(parseCuratorInstance(buf({ ...CURATOR, enabled: false }))!.enabled).toBe(false);
  });

  it('data that is no ServiceInstance is not recognised', () => {
    expect(parseCuratorInstance(Buffer.from('127.0.0.1'))).toBeNull();
    expect(parseCuratorInstance(Buffer.from('{broken'))).toBeNull();
    expect(parseCuratorInstance(buf({ name: 'x', id: 'y', address: 'z' }))).toBeNull();
  });

  it("a Dubbo providers node's name is the provider URL", () => {
    const u = parseDubboUrl(ECHO_NODE)!;
    expect(u).toMatchObject({ protocol: 'dubbo', host: '198.51.100.7', port: 42817, path: 'opsdeck.interop.zk.Api$Echo' });
    expect(u.params).toMatchObject({ application: 'shop-dubbo', interface: 'opsdeck.interop.zk.Api$Echo', 'prefer.serialization': 'hessian2,fastjson2', side: 'provider' });
    expect(parseDubboUrl('not-a-url')).toBeNull();
  });

  it('Spring load balancers keep an instance whose status is empty or UP in any case', () => {
    expect([null, '', 'UP', 'up'].map(springTakesTraffic)).toEqual([true, true, true, true]);
    expect(['OUT_OF_SERVICE', 'DOWN'].map(springTakesTraffic)).toEqual([false, false]);
  });

  it('edits keep the rest of the node as it was', () => {
    const i = parseCuratorInstance(buf(SPRING))!;
    const drained = withSpringStatus(i, 'OUT_OF_SERVICE');
    expect(drained).toEqual({ ...SPRING, payload: { ...SPRING.payload, metadata: { zone: 'z1', instance_status: 'OUT_OF_SERVICE' } } });
    // Jackson reads the type id first: @class stays the payload's first key.
    expect(Object.keys((drained.payload as object) ?? {})[0]).toBe('@class');
    expect(withMetadata(i, { a: '1' })).toEqual({ ...SPRING, payload: { ...SPRING.payload, metadata: { a: '1', instance_status: 'UP' } } });
    const c = parseCuratorInstance(buf(CURATOR))!;
    expect(withMetadata(c, { zone: 'z2' })).toEqual({ ...CURATOR, payload: { '@class': 'java.util.LinkedHashMap', zone: 'z2' } });
  });
});

describe("Dubbo's override rules", () => {
  const url = parseDubboUrl(ECHO_NODE)!;
  const greeting = parseDubboUrl('dubbo://198.51.100.7:42817/opsdeck.interop.zk.GreetingService?group=g1&version=1.0.0&interface=opsdeck.interop.zk.GreetingService&application=shop-dubbo')!;

  it("live where Dubbo's dynamic configuration reads them: {iface}:{version}:{group}.configurators and {app}.configurators", () => {
    expect(serviceRule('/dubbo', url)).toEqual({ path: '/dubbo/config/dubbo/opsdeck.interop.zk.Api$Echo::.configurators', scope: 'service', key: 'opsdeck.interop.zk.Api$Echo' });
    expect(serviceRule('/dubbo', greeting)).toEqual({ path: '/dubbo/config/dubbo/opsdeck.interop.zk.GreetingService:1.0.0:g1.configurators', scope: 'service', key: 'g1/opsdeck.interop.zk.GreetingService:1.0.0' });
    expect(appRule('/dubbo', 'shop-dubbo')).toEqual({ path: '/dubbo/config/dubbo/shop-dubbo.configurators', scope: 'application', key: 'shop-dubbo' });
  });

  it('a drain is a provider-side disabled item for the address, in the YAML Dubbo documents', () => {
    const t = serviceRule('/dubbo', url);
    const rule = withDrain(null, t, '198.51.100.7', 42817)!;
    expect(parse(renderRule(rule))).toEqual({
      configVersion: 'v2.7',
      scope: 'service',
      key: 'opsdeck.interop.zk.Api$Echo',
      enabled: true,
      configs: [{ addresses: ['198.51.100.7:42817'], side: 'provider', parameters: { disabled: true } }],
    });
    expect(disables(rule, '198.51.100.7', 42817)).toBe(true);
    expect(disables(rule, '198.51.100.7', 42818)).toBe(false);
    expect(withDrain(rule, t, '198.51.100.7', 42817)).toBeNull();
    expect(disables({ ...rule, enabled: false }, '198.51.100.7', 42817)).toBe(false);
  });

  it('an undrain removes only that address, keeps other overrides and drops a rule left empty', () => {
    const t = appRule('/dubbo', 'shop-dubbo');
    const one = withDrain(null, t, '10.0.0.1', 20880)!;
    expect(withoutDrain(one, '10.0.0.1', 20880)).toEqual({ rule: null, changed: true, other: false });
    const rule = {
      ...one,
      configs: [
        { addresses: ['10.0.0.1:20880', '10.0.0.2:20880'], side: 'provider', parameters: { disabled: true } },
        { addresses: ['10.0.0.1:20880'], side: 'provider', parameters: { disabled: 'true', weight: 50 } },
        { side: 'consumer', parameters: { timeout: 300 } },
      ],
    };
    const out = withoutDrain(rule, '10.0.0.1', 20880);
    expect(out.changed).toBe(true);
    expect(out.rule!.configs).toEqual([
      { addresses: ['10.0.0.2:20880'], side: 'provider', parameters: { disabled: true } },
      { addresses: ['10.0.0.1:20880'], side: 'provider', parameters: { weight: 50 } },
      { side: 'consumer', parameters: { timeout: 300 } },
    ]);
    expect(disables(out.rule!, '10.0.0.1', 20880)).toBe(false);
    expect(disables(out.rule!, '10.0.0.2', 20880)).toBe(true);
  });

  it('a wider 0.0.0.0:port drain is reported, not lifted', () => {
    const rule = { configVersion: 'v2.7', scope: 'application', key: 'a', configs: [{ addresses: ['0.0.0.0:20880'], side: 'provider', parameters: { disabled: true } }] };
    expect(disables(rule, '10.0.0.1', 20880)).toBe(true);
    expect(withoutDrain(rule, '10.0.0.1', 20880)).toMatchObject({ changed: false, other: true });
  });

  it('the old JSON list of override URLs and broken YAML are unreadable, not guessed at', () => {
    expect(parseRule('["override://0.0.0.0/x?disabled=true"]')).toMatchObject({ unreadable: expect.stringContaining('old format') });
    expect(parseRule('configs: [')).toMatchObject({ unreadable: expect.stringContaining('not YAML') });
    expect(parseRule('configs: 3')).toMatchObject({ unreadable: 'configs is not a list' });
  });
});
