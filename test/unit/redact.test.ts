import { describe, expect, it } from 'vitest';
import { isSecretName, redactText, redactValue } from '../../src/core/redact.js';

describe('redactValue', () => {
  it('hides literal values under secret-looking keys', () => {
    expect(
      redactValue({ password: 'hunter2', pass: 'p', secret: 's', token: 't', apiKey: 'k', api_key: 'k2', credentials: 'c', authToken: 'a', privateKey: 'pk', DB_PASSWORD: 'x' }),
    ).toEqual({
      password: '<redacted>',
      pass: '<redacted>',
      secret: '<redacted>',
      token: '<redacted>',
      apiKey: '<redacted>',
      api_key: '<redacted>',
      credentials: '<redacted>',
      authToken: '<redacted>',
      privateKey: '<redacted>',
      DB_PASSWORD: '<redacted>',
    });
  });

  it('keeps values under ordinary keys', () => {
    expect(redactValue({ type: 'consul', host: 'db', user: 'app', port: 8500, readOnly: true })).toEqual({
      type: 'consul',
      host: 'db',
      user: 'app',
      port: 8500,
      readOnly: true,
    });
  });

  it('keeps ${...} references under secret keys, since they name no secret', () => {
    expect(redactValue({ password: '${DB_PASS}', token: '${file:/run/secrets/token}' })).toEqual({
      password: '${DB_PASS}',
      token: '${file:/run/secrets/token}',
    });
  });

  it('still hides a value that only contains a reference among other text', () => {
    expect(redactValue({ password: 'x${DB_PASS}' })).toEqual({ password: '<redacted>' });
  });

  it('recurses into nested objects and arrays', () => {
    expect(redactValue({ registry: { type: 'x', auth: { user: 'u', pass: 'p' } }, tokens: ['a', '${B}'] })).toEqual({
      registry: { type: 'x', auth: { user: 'u', pass: '<redacted>' } },
      tokens: ['<redacted>', '${B}'],
    });
  });

  it('masks passwords inside URLs under any key', () => {
    expect(redactValue({ url: 'redis://app:hunter2@cache:6379/0', note: 'see https://u:pw@example.com/x' })).toEqual({
      url: 'redis://app:***@cache:6379/0',
      note: 'see https://u:***@example.com/x',
    });
  });

  it('does not modify its input', () => {
    const input = { password: 'hunter2', url: 'http://a:b@c' };
    redactValue(input);
    expect(input).toEqual({ password: 'hunter2', url: 'http://a:b@c' });
  });

  it('passes through non-object values', () => {
    expect(redactValue(null)).toBeNull();
    expect(redactValue(3)).toBe(3);
    expect(redactValue('plain')).toBe('plain');
  });

  // YAML reads `password: 123456` as a number; `profile show` must still hide it.
  it('hides non-string literal values under secret keys', () => {
    expect(redactValue({ password: 123456 })).toEqual({ password: '<redacted>' });
  });
});

describe('redactText: URLs', () => {
  it('masks the password of scheme://user:password@host', () => {
    expect(redactText('postgres://app:s3cr3t@db:5432/x')).toBe('postgres://app:***@db:5432/x');
    expect(redactText('HTTPS://User:Pw@host')).toBe('HTTPS://User:***@host');
  });

  it('masks a password with no user name', () => {
    expect(redactText('redis://:s3cr3t@cache')).toBe('redis://:***@cache');
  });

  it('masks every URL in a text', () => {
    expect(redactText('a=http://u:p1@h1 b=amqp+ssl://v:p2@h2')).toBe('a=http://u:***@h1 b=amqp+ssl://v:***@h2');
  });

  it('keeps a ${...} reference as the password', () => {
    expect(redactText('postgres://app:${DB_PASS}@db')).toBe('postgres://app:${DB_PASS}@db');
  });

  it('leaves URLs without a password alone', () => {
    expect(redactText('http://db:5432/x')).toBe('http://db:5432/x');
    expect(redactText('http://user@db/x')).toBe('http://user@db/x');
    expect(redactText('not a url: a:b@c')).toBe('not a url: a:b@c');
  });
});

describe('redactText: the cases probing found (probe-findings 7)', () => {
  it('hides a password holding a raw "@" whole: the userinfo ends at the last "@" of the authority', () => {
    expect(redactText('redis://:p@ss:SECRET@h:6379/0')).toBe('redis://:***@h:6379/0');
    expect(redactText('postgres://u:a@b@c@db:5432/x?sslmode=require')).toBe('postgres://u:***@db:5432/x?sslmode=require');
  });

  it('hides secret-named query parameters and keeps the others', () => {
    expect(redactText('postgres://u@h:5439/db?password=SECRET')).toBe('postgres://u@h:5439/db?password=***');
    expect(redactText('mysql://h/db?sslmode=require&password=SECRET&user=u')).toBe('mysql://h/db?sslmode=require&password=***&user=u');
    expect(redactText('http://h/x?access_token=abc&api_key=def')).toBe('http://h/x?access_token=***&api_key=***');
  });

  it('hides password=/token: words in free text, quoted or not, and keeps ${…} references', () => {
    expect(redactText('password=hunter2 user=bob')).toBe('password=*** user=bob');
    expect(redactText('db.password: "two words"')).toBe('db.password: "***"');
    expect(redactText('token:abc123')).toBe('token:***');
    expect(redactText('password=${DB_PASS}')).toBe('password=${DB_PASS}');
  });

  it('stops a secret value at markup, so a quoted HTML snippet keeps its shape', () => {
    expect(redactText('<p>token=abc</p>')).toBe('<p>token=***</p>');
  });

  it('hides bearer and basic credentials', () => {
    expect(redactText('Authorization: Bearer eyJhbGciOi.x.y')).toBe('Authorization: Bearer ***');
    expect(redactText('Basic dXNlcjpwYXNz')).toBe('Basic ***');
  });

  it('leaves ordinary text alone', () => {
    const text = 'lock deploy/orders is held by alice@ops-laptop (token 2, lease ends in 14m49s)';
    expect(redactText(text)).toBe(text);
    expect(redactText('services show orders --namespace prod')).toBe('services show orders --namespace prod');
  });
});

describe('isSecretName', () => {
  it('knows the usual secret key names and not ordinary ones', () => {
    for (const k of ['password', 'passwd', 'DB_PASSWORD', 'secret', 'token', 'apiKey', 'api_key', 'privateKey', 'accessKey', 'credentials', 'auth']) expect([k, isSecretName(k)]).toEqual([k, true]);
    for (const k of ['user', 'username', 'host', 'url', 'port', 'name', 'type']) expect([k, isSecretName(k)]).toEqual([k, false]);
  });
});
