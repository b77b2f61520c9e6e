import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every file in dir with its exact bytes (base64), to prove an operation changed nothing. */
export function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
}
