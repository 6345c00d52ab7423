import { describe, expect, it } from 'vitest';
import { parseQueryData, parseSampleValue } from '../../src/telemetry/parse-query-data.js';

describe('parseSampleValue', () => {
  it.each([
    ['98', 98],
    ['1e+03', 1000],
    ['-0.5', -0.5],
    ['+Inf', Number.POSITIVE_INFINITY],
    ['-Inf', Number.NEGATIVE_INFINITY],
  ])('parses %s as %s', (text, value) => {
    expect(parseSampleValue(text)).toBe(value);
  });

  it('parses NaN as NaN', () => {
    expect(Number.isNaN(parseSampleValue('NaN'))).toBe(true);
  });
});

describe('parseQueryData', () => {
  it('keeps native-histogram series with no float samples as empty value lists', () => {
    const data = parseQueryData({
      resultType: 'matrix',
      result: [{ metric: { le: 'x' }, histograms: [[1, { count: '1' }]] }],
    });

    expect(data).toEqual({ resultType: 'matrix', series: [{ labels: { le: 'x' }, values: [] }] });
  });

  it('reports an unexpected answer with a fix when the shape is not a query result', () => {
    expect(() => parseQueryData({ resultType: 'table', result: [] })).toThrow(
      expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', fix: expect.stringContaining('/api/v1') }),
    );
    expect(() => parseQueryData({ resultType: 'vector', result: [{ metric: {}, value: ['x', '1'] }] })).toThrow(
      expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE' }),
    );
  });
});
