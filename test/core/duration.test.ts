import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/core/duration.js';
import { HolmesError } from '../../src/core/errors.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['2h30m15s', 9_015_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1y', 31_536_000_000],
    ['500ms', 500],
    ['1m500ms', 60_500],
    ['0', 0],
    ['0s', 0],
  ])('reads %s as %d ms when it is a Prometheus duration', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', '1.5h', '-5m', '30 s', '30S', 'm', '1m1h', '1h1h', '1x', ' 1m', '1m '])(
    'throws a USAGE error with a fix when given %j',
    (text) => {
      let caught: unknown;
      try {
        parseDuration(text);
      } catch (error) {
        caught = error;
      }
      expect(HolmesError.isInstance(caught)).toBe(true);
      const error = caught as HolmesError;
      expect(error.code).toBe('USAGE');
      expect(error.message).toContain(`'${text}'`);
      expect(error.fix).toMatch(/1h30m/);
    },
  );

  it('refuses durations longer than Prometheus can hold when they pass 292 years', () => {
    expect(() => parseDuration('300y')).toThrow(/longer than Prometheus can represent/);
    expect(parseDuration('292y')).toBe(292 * 31_536_000_000);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [30_000, '30s'],
    [5_400_000, '1h30m'],
    [60_500, '1m500ms'],
    [86_400_000 + 1000, '1d1s'],
    [-600_000, '-10m'],
  ])('prints %d ms as %s when formatting for messages', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips with parseDuration when the duration is whole milliseconds', () => {
    for (const text of ['1y2w3d4h5m6s7ms', '45s', '2h']) expect(formatDuration(parseDuration(text))).toBe(text);
  });
});
