import { describe, expect, it } from 'vitest';
import type { RangeSeries } from '../../../src/telemetry/prometheus-types.js';
import {
  CLOCK_REASONS_LINE,
  findThrottling,
  gpuThrottling,
  type ClockInput,
} from '../../../src/toolsets/builtins/gpu-clocks.js';
import { createPodMatcher } from '../../../src/toolsets/signals/workload-scope.js';
import { dcgmCluster, dcgmProfile, exported, samples } from './gpu-dcgm-fixtures.js';

const MINUTE = 60_000;
const NOW = Date.parse('2026-12-02T17:00:00Z');
const ALERT = NOW - 12 * MINUTE;
const STEP = 30_000;
const POINTS = 380;
const BREAK = POINTS - 60; // the last 30 minutes
const pod = { namespace: 'genai', pod: 'assistant-70b-7c9d5-abcde' };
const series = (gpu: string, value: (index: number) => number) => ({
  labels: exported(gpu, 'n11', pod),
  values: samples(NOW, POINTS, STEP, value),
});
const input = (overrides: Partial<ClockInput>): ClockInput => ({
  clock: [],
  activity: [],
  activityScale: 1,
  temp: [],
  memoryTemp: [],
  power: [],
  reasons: [],
  events: [],
  aliases: { Hostname: 'node', hostname: 'node' },
  profile: dcgmProfile('exported'),
  isOurs: createPodMatcher({ namespace: 'genai', workload: 'assistant-70b', pods: [pod.pod] }),
  nodes: ['n11'],
  alertStartMs: ALERT,
  nowMs: NOW,
  ...overrides,
});

describe('findThrottling', () => {
  it('finds thermal throttling from the SM clock against its own maximum when reasons are off (default counters)', () => {
    const findings = findThrottling(
      input({
        clock: [series('6', (i) => (i < BREAK ? 1980 : 1200)), series('2', () => 1980)],
        activity: [series('6', () => 0.9), series('2', () => 0.9)],
        temp: [series('6', (i) => (i < BREAK ? 70 : 88)), series('2', () => 84)],
        power: [series('6', (i) => (i < BREAK ? 650 : 480)), series('2', () => 650)],
      }),
    );

    expect(findings.source).toBe('SM clock');
    expect(findings.collect).toContain(CLOCK_REASONS_LINE);
    expect(findings.throttled.map((row) => [row.gpu, row.reason])).toEqual([
      ['gpu 6 on n11', 'thermal slowdown (hot while busy)'],
    ]);
    // Hot all day at full clock is not throttled: it is evidence that nothing lowered the clock.
    expect(findings.steady.map((row) => row.gpu)).toEqual(['gpu 2 on n11']);
  });

  it('finds no throttling when an idle GPU lowers its clock', () => {
    const findings = findThrottling(
      input({
        clock: [series('6', (i) => (i < BREAK ? 1980 : 345))],
        activity: [series('6', (i) => (i < BREAK ? 0.9 : 0))],
        temp: [series('6', () => 85)],
      }),
    );

    expect(findings.throttled).toEqual([]);
    expect(findings.steady).toEqual([]);
  });

  it('takes the reason from a new thermal bit of the clock-event bitmask', () => {
    const findings = findThrottling(
      input({
        clock: [series('0', (i) => (i < BREAK ? 2520 : 1450))],
        activity: [series('0', () => 0.95)],
        reasons: [series('0', (i) => (i < BREAK ? 0 : 0x40 | 0x20))],
      }),
    );

    expect(findings.source).toBe('clock-event reasons');
    expect(findings.collect).toBeNull();
    expect(findings.throttled.map((row) => row.reason)).toEqual(['thermal slowdown']);
  });

  it('does not count a power-cap bit at full load when the clock held', () => {
    const findings = findThrottling(
      input({
        clock: [series('0', () => 1980)],
        activity: [series('0', () => 0.95)],
        reasons: [series('0', (i) => (i < BREAK ? 0 : 0x4))],
      }),
    );

    expect(findings.throttled).toEqual([]);
    expect(findings.steady.map((row) => row.gpu)).toEqual(['gpu 0 on n11']);
  });

  it('reads DCGM_EXP_CLOCK_EVENTS_COUNT as a windowed count, not a counter', () => {
    const counts = series('0', (i) => (i < BREAK ? 0 : 37));
    const events = { values: counts.values, labels: { ...counts.labels, clock_event: 'hw_thermal' } };
    const findings = findThrottling(
      input({
        clock: [series('0', (i) => (i < BREAK ? 2520 : 1450))],
        activity: [series('0', () => 0.9)],
        events: [events],
      }),
    );

    expect(findings.source).toBe('clock-event counts');
    expect(findings.throttled.map((row) => row.reason)).toEqual(['thermal slowdown']);
  });
});

const cluster = (byMetric: Record<string, RangeSeries[]>) => dcgmCluster(byMetric, { exported_pod: pod.pod }, NOW);
const params = {
  namespace: 'genai',
  workload: 'assistant-70b',
  pods: [pod.pod],
  nodes: ['n11'],
  alert_start: new Date(ALERT).toISOString(),
};

describe('gpuThrottling graph', () => {
  it('draws the throttled GPU’s SM clock against the hottest temperature, with the slowdown line and the onset', async () => {
    const result = await gpuThrottling(
      params,
      cluster({
        DCGM_FI_DEV_SM_CLOCK: [series('6', (i) => (i < BREAK ? 1980 : 1200)), series('2', () => 1980)],
        DCGM_FI_PROF_GR_ENGINE_ACTIVE: [series('6', () => 0.9), series('2', () => 0.9)],
        DCGM_FI_DEV_GPU_TEMP: [series('6', (i) => (i < BREAK ? 70 : 88)), series('2', () => 70)],
        DCGM_FI_DEV_POWER_USAGE: [series('6', (i) => (i < BREAK ? 650 : 480)), series('2', () => 650)],
      }),
    );
    const graph = result.graph!;
    expect(graph).toMatchObject({
      title: 'SM clock against temperature: gpu 6 on n11',
      unit: 'mhz',
      rightUnit: 'celsius',
      threshold: { value: 83, axis: 'right' },
      alertStart: new Date(ALERT).toISOString(),
    });
    // The clock fell 30 minutes before now: the onset is there, within a step or two.
    expect(Math.abs(Date.parse(graph.onset!) - (NOW - 30 * MINUTE))).toBeLessThanOrEqual(2 * STEP);
    expect(graph.series).toEqual([
      {
        query: 'max by (Hostname, hostname, node, gpu) ((DCGM_FI_DEV_SM_CLOCK{UUID=~"GPU-n11-6"}))',
        legend: ['Hostname', 'hostname', 'node', 'gpu'],
        role: 'victim',
      },
      {
        query: 'max((DCGM_FI_DEV_GPU_TEMP{UUID=~"GPU-n11-6"}))',
        legend: 'hottest GPU',
        axis: 'right',
        role: 'suspect',
      },
    ]);
  });

  it('draws every throttled GPU of the node, named by the node in the title', async () => {
    const hot = (gpu: string) => series(gpu, (i) => (i < BREAK ? 70 : 88));
    const falling = (gpu: string) => series(gpu, (i) => (i < BREAK ? 1980 : 1200));
    const result = await gpuThrottling(
      params,
      cluster({
        DCGM_FI_DEV_SM_CLOCK: [falling('6'), falling('7')],
        DCGM_FI_PROF_GR_ENGINE_ACTIVE: [series('6', () => 0.9), series('7', () => 0.9)],
        DCGM_FI_DEV_GPU_TEMP: [hot('6'), hot('7')],
      }),
    );
    expect(result.graph?.title).toBe('SM clock against temperature: 2 GPUs on n11');
    expect(result.graph?.series[0]?.query).toContain('DCGM_FI_DEV_SM_CLOCK{UUID=~"(?:GPU-n11-6|GPU-n11-7)"}');
  });

  it('draws power instead when the clock fell at the power peak without heat, with no temperature line', async () => {
    const result = await gpuThrottling(
      params,
      cluster({
        DCGM_FI_DEV_SM_CLOCK: [series('6', (i) => (i < BREAK ? 1980 : 1400))],
        DCGM_FI_PROF_GR_ENGINE_ACTIVE: [series('6', () => 0.9)],
        DCGM_FI_DEV_GPU_TEMP: [series('6', () => 66)],
        DCGM_FI_DEV_POWER_USAGE: [series('6', () => 700)],
      }),
    );
    expect((result.data as { throttled: Array<{ reason: string }> }).throttled[0]?.reason).toMatch(/power/);
    const graph = result.graph!;
    expect(graph.rightUnit).toBe('watts');
    expect(graph.threshold).toBeUndefined();
    expect(graph.series[1]).toMatchObject({
      query: 'max((DCGM_FI_DEV_POWER_USAGE{UUID=~"GPU-n11-6"}))',
      axis: 'right',
    });
  });

  it('draws the steady clocks of our busy GPUs when nothing lowered them (the contradicting picture)', async () => {
    const result = await gpuThrottling(
      params,
      cluster({
        DCGM_FI_DEV_SM_CLOCK: [series('6', () => 1980)],
        DCGM_FI_PROF_GR_ENGINE_ACTIVE: [series('6', () => 0.9)],
      }),
    );
    expect((result.data as { steady: unknown[] }).steady).toHaveLength(1);
    expect(result.graph?.title).toBe('SM clock: gpu 6 on n11');
    expect(result.graph?.series).toHaveLength(1);
    expect(result.graph?.rightUnit).toBeUndefined();
  });
});
