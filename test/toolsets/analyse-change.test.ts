import { describe, expect, it } from 'vitest';
import { analyseChange, type Point } from '../../src/toolsets/signals/analyse-change.js';

const MINUTE = 60_000;
const NOW = Date.parse('2026-12-02T12:00:00Z');

/** A series sampled every 30 s over the last `minutes`, its value given by minutes before now. */
function series(minutes: number, value: (minutesAgo: number) => number): Point[] {
  const points: Point[] = [];
  for (let ago = minutes; ago >= 0; ago -= 0.5) points.push({ t: NOW - ago * MINUTE, v: value(ago) });
  return points;
}

const noise = (ago: number) => Math.sin(ago * 7.3) * 0.4;

describe('analyseChange', () => {
  it('reads a step 30 minutes before the alert as its full size, not against a window that already holds it', () => {
    const rate = series(240, (ago) => (ago > 40 ? 10 : 140) + noise(ago));
    const change = analyseChange(rate, { alertStartMs: NOW - 10 * MINUTE, nowMs: NOW });
    expect(change.onsetMs).toBe(NOW - 40 * MINUTE);
    expect(change.after! / change.before!).toBeCloseTo(14, 0);
  });

  it('finds no onset in a steady noisy series and compares since the alert with before it', () => {
    const steady = series(240, (ago) => 50 + noise(ago) * 5);
    const change = analyseChange(steady, { alertStartMs: NOW - 10 * MINUTE, nowMs: NOW });
    expect(change.onsetMs).toBeNull();
    expect(change.after! / change.before!).toBeCloseTo(1, 1);
    expect(change.baseline.toMs).toBe(NOW - 25 * MINUTE);
  });

  it('tells a spike that already recovered (last back at the baseline) from one that lasts', () => {
    const spike = series(180, (ago) => (ago <= 30 && ago > 12 ? 9 : 1));
    const change = analyseChange(spike, { alertStartMs: NOW - 20 * MINUTE, nowMs: NOW });
    expect(change.onsetMs).toBe(NOW - 30 * MINUTE);
    expect(change.peak).toBe(9);
    expect(change.last).toBe(1);
  });

  it('ignores a change that began long before the alert could care, and one after it fired', () => {
    const old = series(400, (ago) => (ago > 300 ? 1 : 5));
    expect(analyseChange(old, { alertStartMs: NOW - 10 * MINUTE, nowMs: NOW }).onsetMs).toBeNull();
    const late = series(120, (ago) => (ago > 2 ? 1 : 5));
    expect(analyseChange(late, { alertStartMs: NOW - 60 * MINUTE, nowMs: NOW }).onsetMs).toBeNull();
  });

  it('copes with gaps, NaN, a single point and nothing at all', () => {
    const gappy = series(120, (ago) => (ago % 10 < 3 ? Number.NaN : ago > 50 ? 2 : 8));
    expect(analyseChange(gappy, { alertStartMs: NOW - 10 * MINUTE, nowMs: NOW }).onsetMs).not.toBeNull();
    const one = analyseChange([{ t: NOW, v: 3 }], { alertStartMs: NOW - 10 * MINUTE, nowMs: NOW });
    expect(one).toMatchObject({ onsetMs: null, after: 3, before: null });
    expect(analyseChange([], { alertStartMs: NOW, nowMs: NOW })).toMatchObject({ after: null, peak: null });
  });
});
