import { describe, expect, it } from 'vitest';
import {
  substituteNow,
  substituteNowInLogLine,
  substituteNowPlaceholders,
  substituteNowPrefix,
} from '../../src/lab/substitute-now.js';

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

describe('substituteNowPlaceholders', () => {
  it('replaces every {{now-<duration>}} when it appears anywhere in a line', () => {
    expect(substituteNowPlaceholders('certificate expired at {{now-3d}}; renewal failed {{now-1h}}', now)).toBe(
      'certificate expired at 2025-03-01T05:06:07Z; renewal failed 2025-03-04T04:06:07Z',
    );
  });

  it('reads {{now}} as the load time and {{now+<duration>}} as a time ahead', () => {
    expect(substituteNowPlaceholders('at {{now}} the cert expires {{now+12h}}', now)).toBe(
      'at 2025-03-04T05:06:07Z the cert expires 2025-03-04T17:06:07Z',
    );
  });

  it('accepts spaces inside the braces as template authors write them', () => {
    expect(substituteNowPlaceholders('x={{ now-5m }}', now)).toBe('x=2025-03-04T05:01:07Z');
  });

  it('leaves text alone when it is not a now placeholder', () => {
    for (const line of ['{{nowhere}}', '{now-5m}', '{{ .Values.now }}', 'now-5m inside', '{{now-']) {
      expect(substituteNowPlaceholders(line, now)).toBe(line);
    }
  });

  it('throws with a fix when the duration inside the braces is malformed', () => {
    expect(() => substituteNowPlaceholders('at {{now-3x}}', now)).toThrow(/'\{\{now-3x\}\}' is not a valid time/);
  });
});

describe('substituteNowInLogLine', () => {
  it('resolves the leading time and the placeholders when a line has both', () => {
    expect(substituteNowInLogLine('now-1m ERROR x509: certificate has expired at {{now-2d}}', now)).toBe(
      '2025-03-04T05:05:07Z ERROR x509: certificate has expired at 2025-03-02T05:06:07Z',
    );
  });
});
