/** Masks the password in a redis:// URL for messages (adapters do not import session code). */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]+@/, '$1***@');
}
