import { describe, expect, it } from 'vitest';
import { readableNumber } from '../../src/render/readable-number.js';

describe('readableNumber', () => {
  it.each([
    ['0.18627558845102354', '0.1863'],
    ['1', '1'],
    ['42', '42'],
    ['1234.5678', '1235'],
    ['12345678', '12.3M'],
    ['-0.5', '-0.5'],
    ['0.00001234', '1.23e-5'],
    ['0', '0'],
    ['NaN', 'NaN'],
    ['+Inf', '+Inf'],
    ['(native histogram)', '(native histogram)'],
    ['1e3', '1000'],
  ])('%s → %s', (raw, shown) => expect(readableNumber(raw)).toBe(shown));
});
