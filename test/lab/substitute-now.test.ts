import { describe, expect, it } from 'vitest';
import { substituteNow, substituteNowPrefix } from '../../src/lab/substitute-now.js';

const now = new Date('2025-03-04T05:06:07Z');

describe('substituteNow', () => {
  it('gives the load time when the value is exactly now', () => {
    expect(substituteNow('now', now)).toBe('2025-03-04T05:06:07Z');
  });

  it('subtracts the duration when the value is now-<duration>', () => {
    expect(substituteNow('now-12m', now)).toBe('2025-03-04T04:54:07Z');
    expect(substituteNow('now-2h30m', now)).toBe('2025-03-04T02:36:07Z');
    expect(substituteNow('now-3d', now)).toBe('2025-03-01T05:06:07Z');
  });

  it('keeps second precision when the duration has milliseconds', () => {
    expect(substituteNow('now-1500ms', now)).toBe('2025-03-04T05:06:05Z');
  });

  it('leaves other strings alone when they only contain now', () => {
    for (const value of ['nowhere', 'now-playing', ' now', 'now ', 'now+5m', 'snow', 'not now']) {
      expect(substituteNow(value, now)).toBe(value);
    }
  });

  it('throws with a fix when now- is followed by a malformed duration', () => {
    expect(() => substituteNow('now-1.5h', now)).toThrow(/'now-1\.5h' is not a valid time/);
  });
});

describe('substituteNowPrefix', () => {
  it('replaces the prefix when a log line starts with now-<duration> and a space', () => {
    expect(substituteNowPrefix('now-9m INFO started', now)).toBe('2025-03-04T04:57:07Z INFO started');
    expect(substituteNowPrefix('now ready', now)).toBe('2025-03-04T05:06:07Z ready');
  });

  it('replaces the whole line when it is only the prefix', () => {
    expect(substituteNowPrefix('now', now)).toBe('2025-03-04T05:06:07Z');
    expect(substituteNowPrefix('now-1m', now)).toBe('2025-03-04T05:05:07Z');
  });

  it('leaves the line alone when no space or end follows the prefix', () => {
    for (const line of ['nowhere', 'now-1m\ttab', 'now-playing music', 'INFO now-1m', '']) {
      expect(substituteNowPrefix(line, now)).toBe(line);
    }
  });

  it('throws when the prefix looks like a time but its duration is malformed', () => {
    expect(() => substituteNowPrefix('now-1.5h ERROR', now)).toThrow(/not a valid time/);
    expect(() => substituteNowPrefix('now-5m: ERROR', now)).toThrow(/not a valid time/);
  });
});
