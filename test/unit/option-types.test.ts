import { describe, expect, it } from 'vitest';
import { endpointArg } from '../../src/commands/arg-types.js';
import { defineCommand } from '../../src/commands/define-command.js';
import { GLOBAL_OPTION_SPECS, TOP_LEVEL_OPTIONS } from '../../src/commands/global-options.js';
import { boolTextOpt, choiceOpt, durationOpt, intOpt, keyValueOpt, md5Opt, numberOpt, stringOpt, timeOpt } from '../../src/commands/option-types.js';
import { COMMANDS } from '../../src/commands/table.js';
import type { OptionDef } from '../../src/commands/types.js';
import { MAX_TIMER_MS } from '../../src/core/duration.js';
import { OpsError } from '../../src/core/errors.js';
import { hostileValues, SEED } from '../helpers/hostile-values.js';

/** The usage error a read throws, or fails the test when it returns. */
function refusal(o: OptionDef, text: string, flag = '--x'): OpsError {
  try {
    o.read(text, flag);
  } catch (e) {
    expect(e).toBeInstanceOf(OpsError);
    return e as OpsError;
  }
  throw new Error(`${flag} ${JSON.stringify(text)} was accepted`);
}

describe('durationOpt', () => {
  const ttl = durationOpt({ summary: 'lease', default: '30s' });
  const wait = durationOpt({ summary: 'wait', default: '0s', min: '0s' });

  it('applies its one default, shown to help as typed', () => {
    expect(ttl.read(undefined, '--ttl')).toBe(30_000);
    expect(ttl.default).toBe('30s');
    expect(durationOpt({ summary: 'no default' }).read(undefined, '--timeout')).toBeUndefined();
  });

  it('reads as milliseconds; given twice, the last one counts', () => {
    expect(ttl.read('1h30m', '--ttl')).toBe(5_400_000);
    expect(ttl.read(['5s', '7s'], '--ttl')).toBe(7000);
  });

  it('refuses zero unless its minimum allows it, and names the bound', () => {
    expect(refusal(ttl, '0', '--ttl').message).toBe('--ttl must be greater than zero, not "0"');
    expect(wait.read('0s', '--wait')).toBe(0);
    expect(refusal(durationOpt({ summary: 's', min: '100ms' }), '99ms', '--interval').message).toBe('--interval must be at least 100ms, not "99ms"');
  });

  it('refuses what a timer cannot hold, naming the maximum (24d by default, under 2^31 - 1 ms)', () => {
    expect(ttl.read('24d', '--ttl')).toBe(24 * 86_400_000);
    expect(24 * 86_400_000).toBeLessThanOrEqual(MAX_TIMER_MS);
    for (const text of ['24d1ms', '814441939187084d', '2147483647d', '9'.repeat(400) + 's']) {
      const e = refusal(ttl, text, '--ttl');
      expect(e.kind).toBe('usage');
      expect(e.message).toMatch(/^--ttl (must be at most 24d|"9+s" is too long to be a duration)/);
    }
    expect(refusal(ttl, '25d', '--ttl').hint).toBe('give a duration above zero, up to 24d');
  });
});

describe('intOpt and numberOpt', () => {
  const version = intOpt({ value: 'version', summary: 'v', min: 1 });
  const limit = intOpt({ summary: 'l', default: 100, min: 1, max: 1_000_000 });

  it('reads whole numbers exactly, and never past 2^53 - 1', () => {
    expect(version.read('9007199254740991', '--from')).toBe(Number.MAX_SAFE_INTEGER);
    const e = refusal(version, '9223372036854775808', '--from');
    expect(e.message).toBe('--from must be at most 9007199254740991, not "9223372036854775808"');
  });

  it('refuses exponents, signs, fractions and values out of range, naming the range', () => {
    expect(refusal(limit, '5e225', '--limit').message).toBe('--limit must be a whole number from 1 to 1000000, not "5e225"');
    for (const text of ['-1', '+5', '1.5', '0', '1000001', '', ' ']) expect(refusal(limit, text, '--limit').kind).toBe('usage');
    expect(limit.read(undefined, '--limit')).toBe(100);
    expect(limit.default).toBe('100');
  });

  it('reads a weight as a decimal within its bounds', () => {
    const weight = numberOpt({ value: 'w', summary: 'w', default: '1', min: 0, max: 10_000 });
    expect(weight.read(undefined, '--weight')).toBe(1);
    expect(weight.read('2.5', '--weight')).toBe(2.5);
    for (const text of ['1e3', 'Infinity', 'NaN', '-1', '10000.5']) expect(refusal(weight, text, '--weight').message).toMatch(/^--weight must be a number from 0 to 10000/);
  });
});

describe('other option types', () => {
  it('timeOpt checks the text when read and resolves against the clock when used', () => {
    const t = timeOpt({ summary: 't' });
    expect(t.read('now-1h', '--time')!(7_200_000)).toBe(3600);
    expect(t.read('2026-11-25T10:00:00Z', '--time')!(0)).toBe(Date.parse('2026-11-25T10:00:00Z') / 1000);
    expect(refusal(t, '1e300', '--time').kind).toBe('usage');
    expect(refusal(t, '99999999999999999999', '--time').message).toMatch(/outside the range of dates/);
    expect(refusal(t, 'now-36501d', '--time').message).toMatch(/reaches back more than 36500d/);
  });

  it('choices, true/false, key=value and md5 are checked when read', () => {
    expect(refusal(choiceOpt({ value: 'f', summary: 'f', choices: ['a', 'b'] as const }), 'c', '--f').message).toBe('--f must be one of a, b, not "c"');
    expect(boolTextOpt({ value: 'bool', summary: 'd' }).read('false', '--dedup')).toBe(false);
    expect(keyValueOpt({ value: 'k=v', summary: 'm' }).read(['zone=eu', 'v=1=2'], '--meta')).toEqual({ zone: 'eu', v: '1=2' });
    expect(refusal(md5Opt({ summary: 'm' }), 'abc', '--if-md5').message).toBe('--if-md5 must be an md5 of 32 hex digits, not "abc"');
    expect(stringOpt({ value: 'ns', summary: 'n', default: 'public' }).read(undefined, '--namespace')).toBe('public');
  });

  it('an instance address reads its port within 1-65535', () => {
    const address = endpointArg({ summary: 'a' });
    expect(address.read('10.0.0.1:8080', 'address')).toEqual({ ip: '10.0.0.1', port: 8080 });
    expect(() => address.read('1.2.3.4:30526935648971005404', 'address')).toThrow(/invalid instance address/);
  });
});

describe('the command table', () => {
  it('every default of every option reads through its own type', () => {
    for (const spec of [...COMMANDS.flatMap((c) => c.options), ...GLOBAL_OPTION_SPECS]) {
      if (spec.default !== undefined) expect(() => spec.read(undefined, `--${spec.name}`), spec.name).not.toThrow();
    }
    expect(TOP_LEVEL_OPTIONS.refresh.read(undefined, '--refresh')).toBe(2000);
  });

  it('types the input from the specs: a misspelt option does not compile', () => {
    const cmd = defineCommand({
      path: ['t'],
      summary: 'type-level check',
      args: {},
      options: { ttl: durationOpt({ summary: 'lease', default: '30s' }), timeout: durationOpt({ summary: 'stop after' }) },
      examples: [],
      mutates: false,
      async run(_ctx, { opts }) {
        const ms: number = opts.ttl;
        // @ts-expect-error an option without a default may be absent
        const never: number = opts.timeout;
        // @ts-expect-error a misspelt option name is a compile error
        return [ms, never, opts.tll];
      },
    });
    expect(cmd.read({ args: {}, opts: { ttl: '5s' } }).opts).toEqual({ ttl: 5000, timeout: undefined });
    expect([...cmd.read({ args: {}, opts: { ttl: '5s' } }).given]).toEqual(['ttl']);
  });
});

/**
 * Property: for every option type of the table, any text either reads into a value within the
 * type's bounds or is refused with a usage error. Nothing else (a RangeError, a NaN, an Infinity,
 * a number past 2^53) may come out, since that is what later became an internal error.
 */
describe(`option types hold for hostile values (seed ${SEED})`, () => {
  const values = hostileValues(3000);
  const byType: Record<string, OptionDef> = {};
  for (const c of COMMANDS) for (const o of c.options) byType[`${c.path.join(' ')} --${o.name}`] = o;
  for (const o of GLOBAL_OPTION_SPECS) byType[`(global) --${o.name}`] = o;
  for (const [name, o] of Object.entries(TOP_LEVEL_OPTIONS)) byType[`(top level) --${name}`] = o;
  const fits = (v: unknown) => v === undefined || typeof v !== 'number' || (Number.isFinite(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER);

  it.each(Object.keys(byType))('%s', (key) => {
    const option = byType[key]!;
    for (const text of values) {
      let value: unknown;
      try {
        value = option.read(option.repeatable ? [text] : text, `--${key.split(' --')[1]}`);
      } catch (e) {
        expect(e, `${key} ${JSON.stringify(text)}`).toBeInstanceOf(OpsError);
        expect((e as OpsError).kind, `${key} ${JSON.stringify(text)}`).toBe('usage');
        // Every refusal names a next step, as every error line must.
        expect((e as OpsError).hint, `${key} ${JSON.stringify(text)}: ${(e as OpsError).message}`).toBeTruthy();
        continue;
      }
      const inner = typeof value === 'function' ? (value as (now: number) => number)(Date.now()) : value;
      expect(fits(inner), `${key} ${JSON.stringify(text)} read as ${String(inner)}`).toBe(true);
      // Durations are whole milliseconds a Date can add to now (the longest, --since, is 36500d).
      if (option.value === 'duration' && typeof inner === 'number') expect(inner >= 0 && inner <= 36_500 * 86_400_000 && Number.isInteger(inner), `${key} ${text}`).toBe(true);
    }
  });
});
