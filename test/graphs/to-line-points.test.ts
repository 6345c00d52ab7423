import { describe, expect, it } from 'vitest';
import { toLinePoints } from '../../src/graphs/to-line-points.js';

describe('toLinePoints', () => {
  it('turns NaN and ±Inf into breaks and keeps finite values', () => {
    expect(
      toLinePoints(
        [
          [0, 1],
          [30, Number.NaN],
          [60, Number.POSITIVE_INFINITY],
          [90, Number.NEGATIVE_INFINITY],
          [120, 2],
        ],
        30,
      ),
    ).toEqual([
      [0, 1],
      [30_000, null],
      [60_000, null],
      [90_000, null],
      [120_000, 2],
    ]);
  });

  it('breaks the line where samples are missing instead of bridging the gap', () => {
    expect(
      toLinePoints(
        [
          [0, 1],
          [30, 1],
          [150, 5],
        ],
        30,
      ),
    ).toEqual([
      [0, 1],
      [30_000, 1],
      [60_000, null],
      [150_000, 5],
    ]);
  });

  it('keeps a single sample and returns nothing for none', () => {
    expect(toLinePoints([[60, 3]], 30)).toEqual([[60_000, 3]]);
    expect(toLinePoints([], 30)).toEqual([]);
  });
});
