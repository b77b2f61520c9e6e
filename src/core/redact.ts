/**
 * The one redactor. Everything that leaves opsdeck as text about a backend (error messages,
 * `profile show`, `status`, the audit log, history, recordings) passes through here, so a secret
 * is masked the same way wherever it would show. Pure: no I/O, so adapters, session and front
 * ends can all use it.
 */

export const REDACTED = '<redacted>';

/** Names whose values are secrets: profile keys, query parameters, `name=value` words. */
const SECRET_NAME = /pass(?:word|wd|phrase)?|secret|token|credential|auth|api[-_]?key|private[-_]?key|access[-_]?key|session[-_]?key/i;

/** `${NAME}` and `${file:PATH}` name where a secret comes from; they are not secrets. */
const REFERENCE = /^\$\{[^}]+\}$/;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * `scheme://userinfo@host…`. The userinfo runs to the *last* `@` of the authority, the way URL
 * parsers and database drivers read it, so a password holding a raw `@` is hidden whole.
 */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s/?#'"]*)@/gi;

/** A query parameter or `name=value` / `name: value` word whose name looks secret. */
const SECRET_ASSIGNMENT = /((?:^|[^\w-])[\w.-]*?(?:pass(?:word|wd|phrase)?|secret|token|credential|api[-_]?key|private[-_]?key|access[-_]?key)s?)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,'"<>]+)/gi;

/** `Authorization: Bearer x` and `Basic x`: the scheme word is kept, the credential is not. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

/**
 * Masks every secret found in free text: URL passwords (`scheme://user:***@host`), secret-named
 * query parameters (`?password=***`), `password=x`/`token: x` words and bearer credentials.
 * `${…}` references are left alone.
 */
export function redactText(text: string): string {
  return text
    .replace(URL_USERINFO, (_, scheme: string, userinfo: string) => scheme + maskUserinfo(userinfo) + '@')
    .replace(SECRET_ASSIGNMENT, (whole, name: string, sep: string, value: string) => (isReference(unquote(value)) ? whole : `${name}${sep}${value.startsWith('"') || value.startsWith("'") ? value[0] + '***' + value[0] : '***'}`))
    .replace(AUTH_SCHEME, (_, scheme: string) => `${scheme} ***`);
}

/**
 * Makes a structured value safe to print (a profile, an audit entry): a literal under a
 * secret-looking key becomes `<redacted>` (numbers too: YAML reads `password: 123456` as one), and
 * every other string goes through `redactText`.
 */
export function redactValue<T>(value: T, key = ''): T {
  if (typeof value === 'string') {
    if (isSecretName(key) && !isReference(value)) return REDACTED as T;
    return redactText(value) as T;
  }
  if ((typeof value === 'number' || typeof value === 'bigint') && isSecretName(key)) return REDACTED as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, key)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, k)])) as T;
  }
  return value;
}

function maskUserinfo(userinfo: string): string {
  const colon = userinfo.indexOf(':');
  if (colon < 0) return userinfo;
  const password = userinfo.slice(colon + 1);
  return isReference(password) || password === '' ? userinfo : `${userinfo.slice(0, colon)}:***`;
}

function isReference(s: string): boolean {
  return REFERENCE.test(s);
}

function unquote(s: string): string {
  return (s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'")) ? s.slice(1, -1) : s;
}
