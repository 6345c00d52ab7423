import { describe, expect, it } from 'vitest';
import { graphSpecSchema } from '../../src/core/graph-spec.js';

const valid = {
  title: 'p99 TTFT vs neighbour GPU activity',
  unit: 's',
  rightUnit: 'percent',
  start: '2025-03-10T10:00:00Z',
  end: '2025-03-10T12:00:00Z',
  stepSeconds: 30,
  alertStart: '2025-03-10T11:46:00Z',
  onset: '2025-03-10T11:36:00Z',
  threshold: { value: 2, label: 'SLO' },
  series: [
    { query: 'histogram_quantile(0.99, sum by (le, pod) (rate(x_bucket[5m])))', legend: ['pod'], role: 'victim' },
    { query: 'DCGM_FI_DEV_GPU_UTIL', legend: 'GPU util', axis: 'right', role: 'suspect' },
  ],
};

const issues = (value: unknown) =>
  graphSpecSchema.safeParse(value).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];

describe('graphSpecSchema', () => {
  it('accepts a spec with both axes, an onset and a threshold', () => {
    expect(issues(valid)).toEqual([]);
  });

  it('refuses a range that ends before it starts', () => {
    expect(issues({ ...valid, end: valid.start })).toEqual(['end: end must be after start']);
  });

  it('refuses more points per series than Prometheus serves', () => {
    expect(issues({ ...valid, stepSeconds: 0.5 })[0]).toMatch(
      /^stepSeconds: 14400 points per series; Prometheus allows 11000/,
    );
  });

  it('refuses a series or threshold on the right axis when the right axis has no unit', () => {
    const { rightUnit: _unit, ...noRight } = valid;
    expect(issues({ ...noRight, threshold: { value: 1, label: 'x', axis: 'right' } })).toEqual([
      'series.1.axis: right axis without rightUnit',
      'threshold.axis: right axis without rightUnit',
    ]);
  });

  it('refuses a legend label that is not a Prometheus label name, an unknown unit and unknown fields', () => {
    const found = issues({
      ...valid,
      unit: 'furlongs',
      extra: true,
      series: [{ query: 'up', legend: ['pod-name'] }],
    });
    expect(found.some((issue) => issue.startsWith('unit:'))).toBe(true);
    expect(found.some((issue) => issue.startsWith('series.0.legend'))).toBe(true);
    expect(found.some((issue) => issue.includes('extra'))).toBe(true);
  });
});
