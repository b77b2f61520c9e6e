import type * as Crypto from 'node:crypto';

/**
 * node:crypto, loaded at first use. Importing it costs a one-shot command about 5 ms (it pulls in
 * webcrypto, x509, keys and the ciphers), and most reads of the embedded store never hash: only a
 * snapshot's checksum, a config's md5, a lock ticket and the store mutex's name need it.
 */
function crypto(): typeof Crypto {
  return process.getBuiltinModule('node:crypto');
}

/** The hex digest of the parts, hashed in order as if concatenated. */
export function digestHex(algorithm: 'md5' | 'sha1' | 'sha256', ...parts: Array<string | Uint8Array>): string {
  const hash = crypto().createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

/** A random RFC 4122 version 4 UUID. */
export function randomUuid(): string {
  return crypto().randomUUID();
}
