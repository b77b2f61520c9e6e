import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readHistory, writeHistory } from '../../src/frontends/tui/history-file.js';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'opsdeck-hist-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('console history file', () => {
  it('loads lines without --yes, so a file written by an older version cannot skip a question', () => {
    const file = join(dir, 'dev.txt');
    writeFileSync(file, ['instances deregister orders 10.0.1.14:8080 --yes', "locks release deploy/orders --force --owner 'a b' --yes", '--yes', 'services list', ''].join('\n'));
    expect(readHistory(file)).toEqual(['instances deregister orders 10.0.1.14:8080', "locks release deploy/orders --force --owner 'a b'", 'services list']);
  });

  it('writes secrets as ${SECRET_n}, so a recalled line refuses to run instead of publishing a mask', () => {
    const file = join(dir, 'h', 'dev.txt');
    writeHistory(file, ["config set pw3.txt --value 'token: X9secret' --type text", 'services list', "config set bad --value 'password=oops"]);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe("config set pw3.txt --value 'token: '${SECRET_1} --type text\nservices list\nconfig set bad --value 'password=***\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Written again (as every save does), the line stays the same.
    writeHistory(file, readHistory(file));
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
