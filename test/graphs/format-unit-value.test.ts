import { describe, expect, it } from 'vitest';
import { formatUnitValue, startsAtZero } from '../../src/graphs/format-unit-value.js';

describe('formatUnitValue', () => {
  it('prints seconds as ms below one second and as minutes past two', () => {
    expect(formatUnitValue('s', 0.25)).toBe('250 ms');
    expect(formatUnitValue('s', 1.5)).toBe('1.5 s');
    expect(formatUnitValue('s', 0)).toBe('0');
    expect(formatUnitValue('s', 600)).toBe('10 min');
    expect(formatUnitValue('ms', 2500)).toBe('2.5 s');
    expect(formatUnitValue('s', 0.1 + 0.2)).toBe('300 ms');
  });

  it('prints percent (0–100) and ratio (0–1) both as a percentage', () => {
    expect(formatUnitValue('percent', 87.5)).toBe('87.5%');
    expect(formatUnitValue('ratio', 0.42)).toBe('42%');
  });

  it('prints money, rates, bytes and physical units with their symbols', () => {
    expect(formatUnitValue('usd_per_hour', 3.2)).toBe('$3.2/h');
    expect(formatUnitValue('usd', -12)).toBe('-$12');
    expect(formatUnitValue('tokens_per_second', 1234)).toBe('1.23K tok/s');
    expect(formatUnitValue('requests_per_second', 12)).toBe('12 req/s');
    expect(formatUnitValue('bytes', 80 * 1024 ** 3)).toBe('80 GiB');
    expect(formatUnitValue('bytes_per_second', 1536)).toBe('1.5 KiB/s');
    expect(formatUnitValue('celsius', 83)).toBe('83 °C');
    expect(formatUnitValue('watts', 412.5)).toBe('412.5 W');
    expect(formatUnitValue('mhz', 1410)).toBe('1,410 MHz');
    expect(formatUnitValue('count', 25_000)).toBe('25K');
  });

  it('prints values that cannot be placed on an axis as they are', () => {
    expect(formatUnitValue('s', Number.NaN)).toBe('NaN');
    expect(formatUnitValue('percent', Number.POSITIVE_INFINITY)).toBe('Infinity');
  });

  it('starts rates and latencies at zero but lets clocks and temperatures float', () => {
    expect(startsAtZero('s')).toBe(true);
    expect(startsAtZero('mhz')).toBe(false);
    expect(startsAtZero('celsius')).toBe(false);
  });
});
