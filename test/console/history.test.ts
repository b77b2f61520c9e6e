import { describe, expect, it } from 'vitest';
import { HISTORY_CAP, historyOf, next, previous, record, searchBack } from '../../src/shell/history.js';

describe('history', () => {
  it('walks back and forth and returns the draft that was being typed', () => {
    let h = historyOf(['services list', 'locks list']);
    const up1 = previous(h, 'conf')!;
    expect(up1.line).toBe('locks list');
    const up2 = previous(up1.state, 'ignored')!;
    expect(up2.line).toBe('services list');
    expect(previous(up2.state, '')).toBeNull();
    const down1 = next(up2.state)!;
    expect(down1.line).toBe('locks list');
    const down2 = next(down1.state)!;
    expect(down2.line).toBe('conf');
    expect(next(down2.state)).toBeNull();
    h = record(h, '  status  ');
    expect(h.entries).toEqual(['services list', 'locks list', 'status']);
  });

  it('skips blanks and immediate duplicates, and caps its length', () => {
    const h = record(record(historyOf(['a']), 'a'), '   ');
    expect(h.entries).toEqual(['a']);
    const big = historyOf(Array.from({ length: HISTORY_CAP + 10 }, (_, i) => `cmd ${i}`));
    expect(big.entries).toHaveLength(HISTORY_CAP);
    expect(big.entries[0]).toBe('cmd 10');
  });

  it('Ctrl-R finds the newest match, then older ones', () => {
    const h = historyOf(['locks show a', 'services list', 'locks show b']);
    const first = searchBack(h, 'locks')!;
    expect(first).toEqual({ index: 2, line: 'locks show b' });
    expect(searchBack(h, 'locks', first.index)).toEqual({ index: 0, line: 'locks show a' });
    expect(searchBack(h, 'locks', 0)).toBeNull();
    expect(searchBack(h, '')).toBeNull();
  });
});
