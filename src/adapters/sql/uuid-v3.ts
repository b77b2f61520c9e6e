import { createHash } from 'node:crypto';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Spring Integration's lock key for a name: a name that already is a UUID stays itself, anything
 * else becomes the name-based (MD5, version 3) UUID of its UTF-8 bytes, with no namespace — what
 * Java's UUID.nameUUIDFromBytes gives. One-way, so listings can only match known names.
 */
export function springLockKey(name: string): string {
  if (UUID.test(name)) return name.toLowerCase();
  const b = createHash('md5').update(name, 'utf8').digest();
  b[6] = (b[6]! & 0x0f) | 0x30;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
