import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Recorder, redactLine } from '../../src/frontends/tui/recorder.js';

describe('session recorder', () => {
  it('masks URL passwords and password=/token: values, and keeps everything else', () => {
    expect(redactLine('config set db --value "url=postgres://app:s3cret@db:5432/x"')).toBe('config set db --value "url=postgres://app:***@db:5432/x"');
    expect(redactLine("config set app --value 'password=hunter2 user=bob'")).toBe("config set app --value 'password=*** user=bob'");
    expect(redactLine('config set app --value token:abc123')).toBe('config set app --value token:***');
    expect(redactLine('services show orders')).toBe('services show orders');
  });

  it('writes each command with its exit status, redacted, and attaches files beside the script', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-rec-'));
    try {
      const file = join(dir, 's.ops');
      const r = new Recorder(file, 'dev', new Date('2026-01-01T00:00:00Z'));
      r.command('instances drain orders 10.0.0.1:80 --yes', 0);
      r.command('config set a --value secret=xyz', 1);
      const attached = r.attach('orders.yaml', 'pool: 5\n');
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('# opsdeck console session, profile dev, started 2026-01-01T00:00:00.000Z');
      expect(text).toContain('instances drain orders 10.0.0.1:80 --yes\nexpect exit 0\n');
      expect(text).toContain('config set a --value secret=***\nexpect exit 1\n');
      expect(readFileSync(attached, 'utf8')).toBe('pool: 5\n');
      expect(attached.startsWith(`${file}.files/`)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
