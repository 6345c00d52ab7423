import { describe, expect, it } from 'vitest';
import { formatCompactNumber } from '../../src/telemetry/format-compact-number.js';

describe('formatCompactNumber', () => {
  it.each([
    [98, '98'],
    [61.3333, '61.3'],
    [0.5, '0.5'],
    [0.001234, '0.00123'],
    [1234, '1.23k'],
    [-1234, '-1.23k'],
    [999.6, '1k'],
    [999_600, '1M'],
    [1_500_000, '1.5M'],
    [2.5e9, '2.5G'],
    [81_920_000_000, '81.9G'],
    [3e12, '3T'],
    [0, '0'],
    [-0, '0'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ])('formats %s as %s', (value, text) => {
    expect(formatCompactNumber(value)).toBe(text);
  });

  it('keeps more digits when asked', () => {
    expect(formatCompactNumber(1234.5, 5)).toBe('1.2345k');
  });
});
