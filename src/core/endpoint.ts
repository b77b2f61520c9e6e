import { usage } from './errors.js';

/** Parses "10.0.0.1:8080" (or "[::1]:8080"); the registry keys instances by it. */
export function parseEndpoint(text: string): { ip: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw usage(`invalid instance address "${text}"`, 'write it as IP:PORT, for example 10.0.0.5:8080');
  }
  return { ip: (m[1] ?? m[2])!, port };
}
