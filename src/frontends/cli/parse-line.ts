import type { CommandSpec } from '../../commands/types.js';
import type { Parsed } from './build-program.js';
import { quickParse } from './quick-parse.js';

/**
 * Parses a line the cheapest way that gives commander's answer: a plain command line through the
 * fast path (quick-parse.ts), anything else (and every error) through commander, loaded only then.
 */
export async function parseLine(commands: readonly CommandSpec[], words: readonly string[], mode: 'cli' | 'replay', version: string): Promise<Parsed> {
  const inv = quickParse(commands, words);
  if (inv !== null) return { kind: 'command', inv };
  return (await import('./build-program.js')).parseArgs(commands, [...words], mode, version);
}
