import { describe, expect, it } from 'vitest';
import { ageOf, humanDuration } from '../../../src/lab/kube-api/human-duration.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('humanDuration', () => {
  it.each([
    [-5 * SECOND, '<invalid>'],
    [-1 * SECOND, '0s'],
    [45 * SECOND, '45s'],
    [119 * SECOND, '119s'],
    [3 * MINUTE + 20 * SECOND, '3m20s'],
    [5 * MINUTE, '5m'],
    [42 * MINUTE, '42m'],
    [2 * HOUR + 5 * MINUTE, '125m'],
    [3 * HOUR + 5 * MINUTE, '3h5m'],
    [5 * HOUR, '5h'],
    [30 * HOUR, '30h'],
    [3 * DAY + 4 * HOUR, '3d4h'],
    [40 * DAY, '40d'],
    [800 * DAY, '2y70d'],
    [9 * 365 * DAY, '9y'],
  ])('formats %d ms as %s like the API server', (milliseconds, expected) => {
    expect(humanDuration(milliseconds)).toBe(expected);
  });
});

describe('ageOf', () => {
  it('measures from now when the timestamp is valid, and says <unknown> otherwise', () => {
    const now = new Date('2025-06-01T12:00:00Z');
    expect(ageOf('2025-06-01T11:48:00Z', now)).toBe('12m');
    expect(ageOf(undefined, now)).toBe('<unknown>');
    expect(ageOf('yesterday', now)).toBe('<unknown>');
  });
});
