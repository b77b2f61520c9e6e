import { describe, expect, it } from 'vitest';
import { parseEndpoint } from '../../src/core/endpoint.js';
import { OpsError } from '../../src/core/errors.js';

describe('parseEndpoint', () => {
  it('parses IPv4:port', () => {
    expect(parseEndpoint('10.0.0.1:8080')).toEqual({ ip: '10.0.0.1', port: 8080 });
  });

  it('parses a host name with a port', () => {
    expect(parseEndpoint('db-1.internal:5432')).toEqual({ ip: 'db-1.internal', port: 5432 });
  });

  it('parses a bracketed IPv6 address and strips the brackets', () => {
    expect(parseEndpoint('[::1]:8080')).toEqual({ ip: '::1', port: 8080 });
    expect(parseEndpoint('[fe80::1ff:fe23:4567:890a]:443')).toEqual({ ip: 'fe80::1ff:fe23:4567:890a', port: 443 });
    expect(parseEndpoint('[::ffff:10.0.0.1]:80')).toEqual({ ip: '::ffff:10.0.0.1', port: 80 });
  });

  it('trims surrounding whitespace', () => {
    expect(parseEndpoint('  10.0.0.5:80\n')).toEqual({ ip: '10.0.0.5', port: 80 });
  });

  it('accepts the port range bounds 1 and 65535', () => {
    expect(parseEndpoint('10.0.0.1:1').port).toBe(1);
    expect(parseEndpoint('10.0.0.1:65535').port).toBe(65535);
  });

  it.each([
    '10.0.0.1:0',
    '10.0.0.1:65536',
    '10.0.0.1:99999',
    '10.0.0.1:123456',
    '10.0.0.1',
    '10.0.0.1:',
    '10.0.0.1:http',
    '10.0.0.1:-1',
    ':8080',
    '::1:8080',
    '[::1]8080',
    '[]:8080',
    '[::1]',
    '[zz::1]:80',
    'a b:80',
    '',
  ])('rejects %j as a usage error', (text) => {
    let err: unknown;
    try {
      parseEndpoint(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).kind).toBe('usage');
    expect((err as OpsError).message).toBe(`invalid instance address "${text}"`);
    expect((err as OpsError).hint).toContain('IP:PORT');
  });
});
