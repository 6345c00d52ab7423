import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/telemetry/prometheus-types.js';
import { summarizeSeries } from '../../src/telemetry/summarize-series.js';

const START = 1_700_000_000; // 2023-11-14T22:13:20Z

function series(values: number[], stepSeconds = 30): Sample[] {
  return values.map((value, index) => [START + index * stepSeconds, value]);
}

describe('summarizeSeries', () => {
  it('reports a flat series with no change when every value is the same', () => {
    const summary = summarizeSeries(series(Array(10).fill(5)));

    expect(summary).toEqual({
      count: 10,
      skipped: 0,
      first: 5,
      min: 5,
      mean: 5,
      max: 5,
      last: 5,
      p95: 5,
      trend: 'flat',
      slopePerMinute: 0,
      biggestChange: null,
      sketch: '▁▁▁▁▁▁▁▁▁▁',
    });
  });

  it('finds the step and its time when the value jumps half-way', () => {
    const summary = summarizeSeries(series([44, 44, 44, 44, 98, 98, 98, 98]));

    expect(summary).toMatchObject({
      count: 8,
      first: 44,
      min: 44,
      mean: 71,
      max: 98,
      last: 98,
      p95: 98,
      trend: 'rising',
      sketch: '▁▁▁▁████',
    });
    // Least squares over index: slope 432/42 per 30 s.
    expect(summary.slopePerMinute).toBeCloseTo((432 / 42) * 2, 10);
    expect(summary.biggestChange).toEqual({ at: '2023-11-14T22:15:20Z', from: 44, to: 98, delta: 54 });
  });

  it('places the change at the first new sample when a long steady series steps up near the end', () => {
    // promtool notation '45+0x200 98x40': 201 samples of 45, then 41 of 98.
    const summary = summarizeSeries(series([...Array(201).fill(45), ...Array(41).fill(98)]));

    expect(summary.biggestChange).toEqual({
      at: new Date((START + 201 * 30) * 1000).toISOString().replace('.000Z', 'Z'),
      from: 45,
      to: 98,
      delta: 53,
    });
    expect(summary.trend).toBe('rising');
    expect(summary.sketch).toHaveLength(24);
    expect(summary.sketch.endsWith('████')).toBe(true);
    expect(summary.sketch.startsWith('▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁')).toBe(true);
  });

  it('finds the exact step when a long series is searched coarsely first', () => {
    const values = Array.from({ length: 5000 }, (_, index) => (index < 3777 ? 10 + (index % 3) : 60 + (index % 3)));

    const change = summarizeSeries(series(values, 15)).biggestChange;

    expect(change?.at).toBe(new Date((START + 3777 * 15) * 1000).toISOString().replace('.000Z', 'Z'));
    expect(change?.delta).toBe(50);
  });

  it('measures slope per minute and quantiles on a ramp', () => {
    const summary = summarizeSeries(series([0, 10, 20, 30, 40, 50, 60, 70, 80, 90], 60));

    expect(summary).toMatchObject({
      first: 0,
      min: 0,
      mean: 45,
      max: 90,
      last: 90,
      trend: 'rising',
      sketch: '▁▂▃▃▄▅▆▆▇█',
    });
    expect(summary.slopePerMinute).toBeCloseTo(10, 10);
    expect(summary.p95).toBeCloseTo(85.5, 10);
  });

  it('reports falling with a negative slope when a ramp goes down', () => {
    const summary = summarizeSeries(series([90, 80, 70, 60, 50, 40, 30, 20, 10, 0], 60));

    expect(summary.trend).toBe('falling');
    expect(summary.slopePerMinute).toBeCloseTo(-10, 10);
  });

  it('stays flat when values only alternate around a level', () => {
    const summary = summarizeSeries(series(Array.from({ length: 20 }, (_, index) => (index % 2 ? 52 : 50))));

    expect(summary.trend).toBe('flat');
  });

  it('stays flat when the drift is negligible against the level', () => {
    const summary = summarizeSeries(series(Array.from({ length: 10 }, (_, index) => 1000 + index * 0.1)));

    expect(summary.trend).toBe('flat');
    expect(summary.slopePerMinute).toBeCloseTo(0.2, 10);
  });

  it('leaves NaN and infinite samples out of the statistics and shows them as gaps', () => {
    const summary = summarizeSeries(series([1, Number.NaN, 3, Number.POSITIVE_INFINITY, 5]));

    expect(summary).toMatchObject({
      count: 3,
      skipped: 2,
      first: 1,
      min: 1,
      mean: 3,
      max: 5,
      last: 5,
      sketch: '▁·▅·█',
    });
  });

  it('returns NaN statistics and no change when no sample is finite', () => {
    const summary = summarizeSeries(series([Number.NaN, Number.NaN, Number.NaN]));

    expect(summary.count).toBe(0);
    expect(summary.skipped).toBe(3);
    expect([summary.first, summary.min, summary.mean, summary.max, summary.last, summary.p95].every(Number.isNaN)).toBe(
      true,
    );
    expect(summary).toMatchObject({ trend: 'flat', slopePerMinute: 0, biggestChange: null, sketch: '···' });
    expect(summarizeSeries([]).sketch).toBe('');
  });

  it('keeps a one-sample spike visible when downsampling by max per bucket', () => {
    const values = Array<number>(48).fill(0);
    values[10] = 8;

    const summary = summarizeSeries(series(values));

    expect(summary.sketch).toBe('▁▁▁▁▁█▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁');
    expect(summary.biggestChange).toBeNull();
  });

  it('honours a narrower sketch width when asked', () => {
    expect(summarizeSeries(series([1, 2, 3, 4, 5, 6, 7, 8]), { sketchWidth: 4 }).sketch).toBe('▂▄▆█');
  });
});
