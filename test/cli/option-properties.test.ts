import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { hostileValues, SEED } from '../helpers/hostile-values.js';

let box: ReturnType<typeof sandbox>;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

/**
 * Property, through the real binary: whatever value an option of a given type gets, the command
 * exits 0-3 (done, failed, refused as usage, backend down) and never with an internal error.
 * Each option type runs its hostile values as one replay script (one process, every line judged),
 * plus a few as argv. Commands are picked so a value that is valid ends at once: nothing here may
 * wait as long as the value says.
 */
const PER_TYPE = 160;
const ARGV_SAMPLE = 6;

/** Single-quoted for a script line: the generated values hold no quote, newline or backslash. */
const q = (v: string) => `'${v}'`;

const TYPES: Record<string, { lines: (v: string) => string[]; argv: (v: string) => string[] }> = {
  duration: {
    lines: (v) => [
      `locks acquire prop/ttl --owner p --ttl ${q(v)}`,
      `locks acquire prop/wait --owner p --ttl 1s --wait ${q(v)}`,
      `instances register prop 10.0.0.1:80 --ephemeral --ttl ${q(v)}`,
      `metrics range up --since ${q(v)}`,
      `metrics range up --since 1h --step ${q(v)}`,
      `metrics watch up --count 1 --interval ${q(v)}`,
      `cache keys 'x*' --time ${q(v)}`,
      `tx list --older-than ${q(v)}`,
    ],
    argv: (v) => ['locks', 'acquire', 'prop/argv', '--owner', 'p', '--ttl', v],
  },
  'whole number': {
    lines: (v) => [
      `config diff prop.yaml --from ${q(v)}`,
      `config rollback prop.yaml --to ${q(v)}`,
      `config watch prop.yaml --timeout 1ms --count ${q(v)}`,
      `cache keys 'x*' --limit ${q(v)}`,
      `tx list --limit ${q(v)}`,
      `tx locks --limit ${q(v)}`,
    ],
    argv: (v) => ['config', 'diff', 'prop.yaml', '--from', v, '--to', '1'],
  },
  'port and weight': {
    lines: (v) => [`instances register prop ${q(`10.0.0.2:${v}`)}`, `instances register prop 10.0.0.3:80 --weight ${q(v)}`],
    argv: (v) => ['instances', 'register', 'prop', `10.0.0.4:${v}`],
  },
  time: {
    lines: (v) => [`metrics query up --time ${q(v)}`, `metrics range up --start ${q(v)}`, `metrics range up --end ${q(v)}`],
    argv: (v) => ['metrics', 'query', 'up', '--time', v],
  },
};

describe(`option values through the real binary never end in an internal error (seed ${SEED})`, () => {
  it.each(Object.keys(TYPES))('%s', (type) => {
    const t = TYPES[type]!;
    const values = hostileValues(PER_TYPE).filter((v) => !/['\n\\]/.test(v));
    // A config with versions 1 and 2, so diffs and rollbacks of valid versions get past the parse.
    expect(opsdeck(box.env, ['config', 'set', 'prop.yaml', '--value', 'a: 1']).code).toBe(0);
    expect(opsdeck(box.env, ['config', 'set', 'prop.yaml', '--value', 'a: 2']).code).toBe(0);
    const lines = values.flatMap(t.lines);
    const script = join(box.dir, `${type.replace(/\W/g, '-')}.ops`);
    writeFileSync(script, lines.join('\n') + '\n');
    // As a file, the pre-check reads every value first: bad ones refuse the script, nothing runs.
    const checked = opsdeck(box.env, ['replay', '--continue-on-error', script]);
    expect(checked.stderr).not.toMatch(/internal error|\n\s+at /);
    expect([0, 2]).toContain(checked.code);
    // From stdin, lines are run one by one (a stream is not pre-checked), so each value reaches its command.
    const r = opsdeck(box.env, ['replay', '--continue-on-error', '-'], lines.join('\n') + '\n');
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    // Each failing line is reported as "<stdin>:N: command exited C: ..."; every C must be 1-3.
    const codes = [...r.stderr.matchAll(/<stdin>:(\d+): command exited (\d+)/g)].map((m) => ({ line: lines[Number(m[1]) - 1], code: Number(m[2]) }));
    expect(codes.filter((c) => c.code < 1 || c.code > 3)).toEqual([]);
    // The script ran to its end: failures are reported, and nothing crashed the runner.
    expect([0, 4]).toContain(r.code);
    expect(codes.length).toBeGreaterThan(0);

    for (const v of values.slice(0, ARGV_SAMPLE)) {
      const one = opsdeck(box.env, t.argv(v));
      expect(one.code, `${t.argv(v).join(' ')}: ${one.stderr}`).toBeGreaterThanOrEqual(0);
      expect(one.code, `${t.argv(v).join(' ')}: ${one.stderr}`).toBeLessThanOrEqual(3);
      expect(one.stderr).not.toMatch(/internal error/);
    }
  }, 180_000);
});
