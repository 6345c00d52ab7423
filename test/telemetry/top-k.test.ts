import { describe, expect, it } from 'vitest';
import { topK } from '../../src/telemetry/top-k.js';

describe('topK', () => {
  it('keeps the highest scores and says how many were left out and how to see them', () => {
    const pods = [
      { name: 'a', gpu: 10 },
      { name: 'b', gpu: 90 },
      { name: 'c', gpu: Number.NaN },
      { name: 'd', gpu: 50 },
      { name: 'e', gpu: 90 },
    ];

    const result = topK(pods, 3, (pod) => pod.gpu, { what: 'pods' });

    expect(result.shown.map((pod) => pod.name)).toEqual(['b', 'e', 'd']);
    expect(result.omitted).toEqual({
      count: 2,
      hint: '2 of 5 pods not shown (kept the top 3); narrow the query or raise the limit to see them.',
    });
  });

  it('puts NaN scores last and omits nothing when k covers every item', () => {
    const result = topK([Number.NaN, 1, 3], 10, (value) => value, { narrow: 'filter by namespace' });

    expect(result.shown.slice(0, 2)).toEqual([3, 1]);
    expect(Number.isNaN(result.shown[2])).toBe(true);
    expect(result.omitted).toEqual({ count: 0, hint: '' });
  });

  it('uses the given advice when everything is cut', () => {
    expect(topK(['x', 'y'], 0, () => 1, { what: 'series', narrow: 'add a label matcher' }).omitted.hint).toBe(
      '2 of 2 series not shown (kept the top 0); add a label matcher.',
    );
  });
});
