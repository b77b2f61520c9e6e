import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { redactText } from '../../core/redact.js';

/**
 * Writes every command the console runs as a replay script, each followed by the exit status it
 * had, so `opsdeck replay FILE` re-runs the session and checks it went the same way. Passwords in
 * URLs and `password=…`-style values are masked before anything reaches the file.
 */
export class Recorder {
  private attachments = 0;

  constructor(private readonly path: string, profile: string, now: Date) {
    writeFileSync(path, `# opsdeck console session, profile ${profile}, started ${now.toISOString()}\n# replay with: opsdeck replay ${basename(path)} --profile ${profile}\n`, { flag: 'a' });
  }

  command(line: string, exitCode: number): void {
    appendFileSync(this.path, `${redactLine(line)}\nexpect exit ${exitCode}\n`);
  }

  /** Saves content a command needs (an edited config) beside the recording and returns its path. */
  attach(name: string, content: string): string {
    const dir = `${this.path}.files`;
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${String(++this.attachments).padStart(3, '0')}-${name.replace(/[^\w.-]/g, '_')}`);
    writeFileSync(file, content);
    return file;
  }
}

export function redactLine(line: string): string {
  return redactText(line);
}
