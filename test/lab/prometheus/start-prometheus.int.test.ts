import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, type LabPrometheus } from '../../../src/lab/prometheus/index.js';
import type { ScenarioSeries } from '../../../src/lab/scenario.js';

// A fixed past moment with milliseconds: retention counts from the data, not the clock, and
// every sample must land on its exact millisecond.
const now = new Date('2025-01-15T12:00:00.250Z');
const intervalMs = 30_000;
const at = (secondsBeforeNow: number): number => (now.getTime() - secondsBeforeNow * 1000) / 1000;

/** `a+bxn` as promtool expands it: n+1 samples a, a+b, …, a+n·b. */
function ramp(start: number, step: number, times: number): number[] {
  return Array.from({ length: times + 1 }, (_, index) => start + step * index);
}

const series: ScenarioSeries[] = [
  { metric: 'ramp', labels: { job: 'a' }, values: ramp(1, 1, 10) },
  // `1 _ 3 stale _ 6`
  { metric: 'gappy', labels: {}, values: [1, null, 3, 'stale', null, 6] },
  { metric: 'http_requests_total', labels: { code: '200' }, values: ramp(0, 60, 20) },
  { metric: 'latency_seconds_bucket', labels: { le: '0.1' }, values: ramp(0, 50, 20) },
  { metric: 'latency_seconds_bucket', labels: { le: '0.25' }, values: ramp(0, 90, 20) },
  { metric: 'latency_seconds_bucket', labels: { le: '0.5' }, values: ramp(0, 98, 20) },
  { metric: 'latency_seconds_bucket', labels: { le: '1' }, values: ramp(0, 100, 20) },
  { metric: 'latency_seconds_bucket', labels: { le: '+Inf' }, values: ramp(0, 100, 20) },
  { metric: 'latency_seconds_sum', labels: {}, values: ramp(0, 30, 20) },
  { metric: 'latency_seconds_count', labels: {}, values: ramp(0, 100, 20) },
  { metric: 'vllm:num_requests_running', labels: { model_name: 'llama "3"\\8b' }, values: [3, 3, 4] },
];

interface Sample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

let lab: LabPrometheus;

async function query(path: string, parameters: Record<string, string | number>): Promise<Sample[]> {
  const search = new URLSearchParams(
    Object.entries(parameters).map(([name, value]): [string, string] => [name, String(value)]),
  );
  const response = await fetch(`${lab.url}${path}?${search}`);
  const body = (await response.json()) as { status: string; error?: string; data: { result: Sample[] } };
  if (body.status !== 'success') throw new Error(`${path} ${search}: ${body.error}`);
  return body.data.result;
}

const instant = (expression: string, time: number): Promise<Sample[]> =>
  query('/api/v1/query', { query: expression, time });

describe('startPrometheus', () => {
  beforeAll(async () => {
    lab = await startPrometheus({ series, now, intervalMs });
  });

  afterAll(async () => {
    await lab?.close();
  });

  it('answers instant queries with the value at now and at now-90s when a series is 1+1x10', async () => {
    expect((await instant('ramp', at(0)))[0]?.value).toEqual([at(0), '11']);
    expect((await instant('ramp', at(90)))[0]?.value).toEqual([at(90), '8']);
    expect(await instant('ramp', at(301))).toEqual([]);
  });

  it('returns every sample at its exact millisecond when a range query steps by the interval', async () => {
    const result = await query('/api/v1/query_range', { query: 'ramp', start: at(300), end: at(0), step: 30 });
    expect(result[0]?.values).toEqual(ramp(1, 1, 10).map((value, index) => [at(300 - index * 30), String(value)]));
  });

  it('returns only the real samples, and nothing after the staleness marker, when values hold _ and stale', async () => {
    const raw = await instant('gappy[3m]', at(0));
    expect(raw[0]?.values).toEqual([
      [at(150), '1'],
      [at(90), '3'],
      [at(0), '6'],
    ]);
    // A gap is bridged by the 5-minute lookback; a staleness marker ends the series at once.
    expect((await instant('gappy', at(120)))[0]?.value).toEqual([at(120), '1']);
    expect((await instant('gappy', at(90)))[0]?.value).toEqual([at(90), '3']);
    expect(await instant('gappy', at(60))).toEqual([]);
    expect(await instant('gappy', at(30))).toEqual([]);
    expect((await instant('gappy', at(0)))[0]?.value).toEqual([at(0), '6']);
  });

  it('gives the per-second rate when a counter grows 60 per 30s', async () => {
    const result = await instant('rate(http_requests_total[5m])', at(0));
    expect(Number(result[0]?.value?.[1])).toBeCloseTo(2, 9);
  });

  it('gives the interpolated p99 when histogram buckets are backfilled as counters', async () => {
    // Per step: 50 ≤ 0.1, 90 ≤ 0.25, 98 ≤ 0.5, 100 ≤ 1. Rank 99 of 100 lies halfway through
    // the (0.5, 1] bucket's 2 observations: 0.5 + 0.5 · (99 − 98) / 2 = 0.75.
    const p99 = await instant('histogram_quantile(0.99, sum by (le) (rate(latency_seconds_bucket[5m])))', at(0));
    expect(Number(p99[0]?.value?.[1])).toBeCloseTo(0.75, 9);
    const mean = await instant('rate(latency_seconds_sum[5m]) / rate(latency_seconds_count[5m])', at(0));
    expect(Number(mean[0]?.value?.[1])).toBeCloseTo(0.3, 9);
  });

  it('serves a metric whose name has a colon and a label value with quotes and a backslash', async () => {
    const result = await instant('vllm:num_requests_running', at(0));
    expect(result).toEqual([
      {
        metric: { __name__: 'vllm:num_requests_running', model_name: 'llama "3"\\8b' },
        value: [at(0), '4'],
      },
    ]);
  });

  it('listens on loopback and keeps its files in a holmes-lab- temp dir while running', () => {
    expect(new URL(lab.url).hostname).toBe('127.0.0.1');
    expect(lab.dataDir).toMatch(/holmes-lab-[^/]+$/);
    expect(existsSync(lab.dataDir)).toBe(true);
    expect(() => process.kill(lab.pid, 0)).not.toThrow();
  });
});
