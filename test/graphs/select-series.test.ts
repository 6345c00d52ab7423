import { describe, expect, it } from 'vitest';
import { selectSeries } from '../../src/graphs/select-series.js';

type Line = { name: string; values: Array<number | null> };
const line = (name: string, ...values: Array<number | null>): Line => ({ name, values });
const names = (lines: Line[]) => lines.map((item) => item.name);

describe('selectSeries', () => {
  it('keeps everything when under the cap, victims first', () => {
    const { shown, hidden } = selectSeries(
      [
        { role: 'suspect', series: [line('gpu', 90)] },
        { role: 'victim', series: [line('p99-a', 1), line('p99-b', 3)] },
      ],
      6,
      (item) => item.values,
    );
    expect(names(shown)).toEqual(['p99-b', 'p99-a', 'gpu']);
    expect(hidden).toBe(0);
  });

  it('shows every query before any second line, then the highest, and counts the rest', () => {
    const { shown, hidden } = selectSeries(
      [
        { role: 'context', series: [line('ctx', 5)] },
        { role: 'victim', series: [line('v1', 1), line('v2', 9), line('v3', 4), line('v4', null, Number.NaN)] },
        { role: 'suspect', series: [line('s1', 2), line('s2', 7)] },
      ],
      4,
      (item) => item.values,
    );
    expect(names(shown)).toEqual(['v2', 'v3', 's2', 'ctx']);
    expect(hidden).toBe(3);
  });

  it('shows nothing and hides nothing when the queries returned no series', () => {
    expect(selectSeries([{ series: [] as Line[] }], 6, (item) => item.values)).toEqual({ shown: [], hidden: 0 });
  });
});
