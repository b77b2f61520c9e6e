import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { makeDirs } from '../../lib/make-dirs.js';
import { basename, join } from 'node:path';
import { redactWords, type LeftOutSecret } from '../../shell/redact-words.js';

const BLOCK_START = '# This recording leaves secrets out. Replay it with each one set:';
const BLOCK_END = '# (end of the secrets this recording needs)';
const ENTRY = /^#\s{3}(SECRET_\d+)\s{2}(.*)$/;

/**
 * Writes every command the console runs as a replay script, each followed by the exit status it
 * had, so `opsdeck replay FILE` re-runs the session and checks it went the same way. Lines are
 * written as executed: a destructive command the user confirmed carries `--yes`, since a replay
 * runs unattended.
 *
 * Secrets never reach the file. Each secret the core redactor finds in a word is replaced by a
 * numbered variable `${SECRET_n}`, and a block at the top of the file says which variables the
 * replay needs and which flag each stood for. A replay without them stops on the unset variable
 * instead of publishing a placeholder. The block is rewritten (temp file and rename) when a new
 * secret appears; numbering continues across sessions appended to the same file.
 */
export class Recorder {
  private attachments = 0;
  private readonly secrets: Array<LeftOutSecret> = [];

  constructor(
    private readonly path: string,
    private readonly profile: string,
    now: Date,
  ) {
    this.secrets = existsSync(path) ? readBlock(readFileSync(path, 'utf8')) : [];
    writeFileSync(path, `# opsdeck console session, profile ${profile}, started ${now.toISOString()}\n# replay with: opsdeck replay ${basename(path)} --profile ${profile}\n`, { flag: 'a' });
  }

  command(line: string, exitCode: number): void {
    let redacted;
    try {
      redacted = redactWords(line, this.secrets.length + 1);
    } catch (e) {
      // The console already refused it (exit 2); its text may hold a secret the parser could not
      // find, so it is left out rather than masked by guesswork.
      appendFileSync(this.path, `# a line that did not parse was left out here (${(e as Error).message})\n`);
      return;
    }
    if (redacted.secrets.length > 0) {
      this.secrets.push(...redacted.secrets);
      this.rewriteBlock();
    }
    appendFileSync(this.path, `${redacted.line}\nexpect exit ${exitCode}\n`);
  }

  /** Saves content a command needs (an edited config) beside the recording and returns its path. */
  attach(name: string, content: string): string {
    const dir = `${this.path}.files`;
    makeDirs(dir);
    const file = join(dir, `${String(++this.attachments).padStart(3, '0')}-${name.replace(/[^\w.-]/g, '_')}`);
    writeFileSync(file, content);
    return file;
  }

  private rewriteBlock(): void {
    const rest = withoutBlock(readFileSync(this.path, 'utf8'));
    const vars = this.secrets.map((s) => `--var ${s.name}=…`).join(' ');
    const block = [BLOCK_START, `#   opsdeck replay ${basename(this.path)} --profile ${this.profile} ${vars}`, ...this.secrets.map((s) => `#   ${s.name}  ${s.where}`), BLOCK_END, ''].join('\n');
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, block + rest);
    renameSync(tmp, this.path);
  }
}

function blockLines(text: string): string[] | null {
  if (!text.startsWith(BLOCK_START + '\n')) return null;
  const lines = text.split('\n');
  const end = lines.indexOf(BLOCK_END);
  return end < 0 ? null : lines.slice(0, end + 1);
}

function readBlock(text: string): LeftOutSecret[] {
  return (blockLines(text) ?? []).flatMap((l) => {
    const m = ENTRY.exec(l);
    return m ? [{ name: m[1]!, where: m[2]! }] : [];
  });
}

function withoutBlock(text: string): string {
  const block = blockLines(text);
  return block ? text.split('\n').slice(block.length).join('\n') : text;
}
