import { describe, expect, it } from 'vitest';
import { HolmesError } from '../../../src/core/errors.js';
import { toOpenMetrics } from '../../../src/lab/prometheus/to-open-metrics.js';
import type { ScenarioSeries } from '../../../src/lab/scenario.js';

const now = new Date('2025-01-15T12:00:00Z');
const nowSeconds = now.getTime() / 1000;
const options = { now, intervalMs: 30_000 };

function catchError(run: () => unknown): HolmesError {
  try {
    run();
  } catch (error) {
    if (HolmesError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a HolmesError');
}

describe('toOpenMetrics', () => {
  it('right-aligns samples to now in seconds and ends with # EOF when given one series', () => {
    const text = toOpenMetrics([{ metric: 'up', labels: { job: 'node' }, values: [1, 2, 3] }], options);
    expect(text).toBe(
      [
        `up{job="node"} 1 ${nowSeconds - 60}`,
        `up{job="node"} 2 ${nowSeconds - 30}`,
        `up{job="node"} 3 ${nowSeconds}`,
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('leaves out missing samples and staleness markers when values hold _ and stale', () => {
    const text = toOpenMetrics([{ metric: 'g', labels: {}, values: [1, null, 3, 'stale', 5] }], options);
    expect(text.split('\n').filter((line) => line.startsWith('g '))).toEqual([
      `g 1 ${nowSeconds - 120}`,
      `g 3 ${nowSeconds - 60}`,
      `g 5 ${nowSeconds}`,
    ]);
  });

  it('adds half a millisecond that promtool truncates away when now has milliseconds', () => {
    const text = toOpenMetrics([{ metric: 'g', labels: {}, values: [1, 2] }], {
      now: new Date('2025-01-15T12:00:00.007Z'),
      intervalMs: 1_500,
    });
    expect(text).toContain(`g 1 ${nowSeconds - 2}.5075\n`);
    expect(text).toContain(`g 2 ${nowSeconds}.0075\n`);
  });

  it('escapes backslash, quote and newline when label values contain them', () => {
    const text = toOpenMetrics([{ metric: 'm', labels: { path: 'C:\\x "y"\nz' }, values: [1] }], options);
    expect(text.split('\n')[0]).toBe(`m{path="C:\\\\x \\"y\\"\\nz"} 1 ${nowSeconds}`);
  });

  it('keeps colons and type suffixes in names and writes special floats as OpenMetrics does', () => {
    const text = toOpenMetrics(
      [
        { metric: 'vllm:num_requests_running', labels: {}, values: [Number.POSITIVE_INFINITY] },
        {
          metric: 'vllm:request_success_total',
          labels: {},
          values: [Number.NEGATIVE_INFINITY, Number.NaN, 1e21, -2.5e-7],
        },
      ],
      options,
    );
    expect(text).toContain(`vllm:num_requests_running +Inf ${nowSeconds}\n`);
    expect(text).toContain(`vllm:request_success_total -Inf ${nowSeconds - 90}\n`);
    expect(text).toContain(`vllm:request_success_total NaN ${nowSeconds - 60}\n`);
    expect(text).toContain(`vllm:request_success_total 1e+21 ${nowSeconds - 30}\n`);
    expect(text).toContain(`vllm:request_success_total -2.5e-7 ${nowSeconds}\n`);
  });

  it('groups each family contiguously, histogram parts together, when series are interleaved', () => {
    const series: ScenarioSeries[] = [
      { metric: 'latency_seconds_bucket', labels: { le: '0.5' }, values: [1] },
      { metric: 'up', labels: {}, values: [1] },
      { metric: 'latency_seconds_count', labels: {}, values: [1] },
      { metric: 'latency_seconds_bucket', labels: { le: '+Inf' }, values: [1] },
      { metric: 'latency_seconds_sum', labels: {}, values: [1] },
    ];
    const names = toOpenMetrics(series, options)
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split(/[{ ]/)[0]);
    expect(names).toEqual([
      'latency_seconds_bucket',
      'latency_seconds_bucket',
      'latency_seconds_count',
      'latency_seconds_sum',
      'up',
    ]);
  });

  it('drops labels with empty values as Prometheus does', () => {
    const text = toOpenMetrics([{ metric: 'm', labels: { a: '', b: 'x' }, values: [1] }], options);
    expect(text.split('\n')[0]).toBe(`m{b="x"} 1 ${nowSeconds}`);
  });

  it('throws SCENARIO_INVALID naming the line when a series repeats another', () => {
    const error = catchError(() =>
      toOpenMetrics(
        [
          { metric: 'm', labels: { a: '1' }, values: [1], line: 10 },
          { metric: 'm', labels: { a: '1', b: '' }, values: [2], line: 12 },
        ],
        options,
      ),
    );
    expect(error.code).toBe('SCENARIO_INVALID');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: 'series[1]', line: 12 });
    expect(error.message).toContain('repeats series[0]');
  });

  it('throws SCENARIO_INVALID when a metric or label name is not a Prometheus name', () => {
    const error = catchError(() =>
      toOpenMetrics(
        [
          { metric: '9lives', labels: {}, values: [1] },
          { metric: 'ok', labels: { 'bad-label': 'x' }, values: [1] },
        ],
        options,
      ),
    );
    expect(error.code).toBe('SCENARIO_INVALID');
    expect(error.issues.map((issue) => issue.path)).toEqual(['series[0]', 'series[1].labels.bad-label']);
  });

  it('throws SCENARIO_INVALID when the interval is not a positive whole number of milliseconds', () => {
    expect(catchError(() => toOpenMetrics([], { now, intervalMs: 0 })).code).toBe('SCENARIO_INVALID');
    expect(catchError(() => toOpenMetrics([], { now: new Date(Number.NaN), intervalMs: 30_000 })).code).toBe(
      'SCENARIO_INVALID',
    );
  });
});
