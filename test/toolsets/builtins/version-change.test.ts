import { describe, expect, it } from 'vitest';
import { BUILTINS } from '../../../src/toolsets/builtins/index.js';
import {
  compareVersions,
  versionChange,
  type VersionChangeData,
} from '../../../src/toolsets/builtins/version-change.js';
import { BUILTIN_TOOLSETS_DIR, loadToolsets } from '../../../src/toolsets/load-toolsets.js';
import type { ToolContext } from '../../../src/toolsets/tool-context.js';
import type { SignalSpec } from '../../../src/toolsets/toolset-schema.js';
import type { RangeSeries } from '../../../src/telemetry/prometheus-types.js';
import { fakePrometheus } from '../fake-clients.js';

const NOW_MS = Date.parse('2026-01-10T12:00:00Z');
const ALERT_MS = NOW_MS - 10 * 60_000;
const STEP = 30;

/** A version's series, as Prometheus returns it: samples every 30 s from `fromMin` to `toMin` minutes ago. */
function version(
  replicaset: string,
  fromMin: number,
  toMin: number,
  value: (minutesAgo: number) => number,
): RangeSeries {
  const values: Array<[number, number]> = [];
  for (let seconds = fromMin * 60; seconds >= toMin * 60; seconds -= STEP)
    values.push([(NOW_MS - seconds * 1000) / 1000, value(seconds / 60)]);
  return { labels: { replicaset }, values };
}

describe('compareVersions', () => {
  it('compares the new version in its first minutes with the old one in the hour before it', () => {
    // Rolled out 25 minutes ago: the old version served 0.2 s, the new one 0.9 s from its start.
    const series = [version('api-6b7d9c5f4', 180, 24, () => 0.2), version('api-59f8d7c6b', 25, 0, () => 0.9)];
    const result = compareVersions(series, ALERT_MS, NOW_MS);
    expect(result.new).toMatchObject({ version: 'api-59f8d7c6b', early: 0.9, last: 0.9, minutesBeforeAlert: 15 });
    expect(result.old).toEqual({ version: 'api-6b7d9c5f4', before: 0.2 });
    expect(result.ratio).toBeCloseTo(4.5);
    expect(result.laterRatio).toBeCloseTo(1);
  });

  it('tells a version that served well at first and degraded later from one worse from the start', () => {
    const series = [
      version('api-old', 180, 59, () => 0.2),
      version('api-new', 60, 0, (ago) => (ago > 20 ? 0.21 : 0.8)),
    ];
    const result = compareVersions(series, ALERT_MS, NOW_MS);
    expect(result.ratio).toBeCloseTo(1.05);
    expect(result.laterRatio).toBeGreaterThan(3);
  });

  it('has no comparison with a single version, and leaves out pods without a version', () => {
    const series = [
      version('api-6b7d9c5f4', 180, 0, () => 0.2),
      { labels: { replicaset: '' }, values: [[NOW_MS / 1000, 9]] },
    ];
    const result = compareVersions(series as RangeSeries[], ALERT_MS, NOW_MS);
    expect(result.versions.map((item) => item.version)).toEqual(['api-6b7d9c5f4']);
    expect(result).toMatchObject({ new: null, old: null, ratio: null });
  });

  it('takes the old version over its last hour when it stopped before the new one reported', () => {
    const series = [version('api-old', 180, 40, () => 0.004), version('api-new', 30, 0, () => 0.06)];
    const result = compareVersions(series, ALERT_MS, NOW_MS);
    expect(result.old?.before).toBeCloseTo(0.004);
    expect(result.new?.early).toBeCloseTo(0.06);
  });
});

async function context(metricNames: string[], range: (query: string) => RangeSeries[]) {
  const { toolsets } = await loadToolsets({
    directories: [BUILTIN_TOOLSETS_DIR],
    builtins: new Set(Object.keys(BUILTINS)),
  });
  const signals = new Map<string, SignalSpec>(toolsets.flatMap((toolset) => Object.entries(toolset.spec.signals)));
  const prometheus = fakePrometheus({ metricNames, range });
  return {
    prometheus,
    context: {
      prometheus,
      kube: undefined,
      now: () => new Date(NOW_MS),
      toolset: toolsets[0]!.spec,
      signals,
    } satisfies ToolContext,
  };
}

const params = {
  signal: 'latency_p99_by_version',
  namespace: 'shop',
  workload: 'cart-svc',
  pods: ['cart-svc-59f8d7c6b-x2k4p'],
  alert_start: new Date(ALERT_MS).toISOString(),
};

describe('versionChange', () => {
  it('reads vLLM latency per version where the workload serves with vLLM', async () => {
    const { prometheus, context: toolContext } = await context(
      ['vllm:e2e_request_latency_seconds_bucket', 'http_request_duration_seconds_bucket'],
      (query) =>
        query.includes('vllm:')
          ? [version('cart-svc-6b7d9c5f4', 180, 24, () => 1), version('cart-svc-59f8d7c6b', 25, 0, () => 4)]
          : [],
    );
    const output = await versionChange(params, toolContext);
    const data = output.data as VersionChangeData;
    expect(prometheus.queries.at(-1)).toContain('vllm:e2e_request_latency_seconds_bucket{ namespace="shop", pod=~');
    expect(prometheus.queries.at(-1)).toContain('"replicaset", "$1", "pod"');
    expect(data.ratio).toBeCloseTo(4);
    expect(output.text).toContain('new cart-svc-59f8d7c6b');
  });

  it('draws each version over the look-back, the new version’s start as the onset', async () => {
    const { prometheus, context: toolContext } = await context(['http_request_duration_seconds_bucket'], () => [
      version('cart-svc-6b7d9c5f4', 180, 24, () => 0.2),
      version('cart-svc-59f8d7c6b', 25, 0, () => 0.9),
    ]);
    const output = await versionChange(params, toolContext);
    expect(output.graph).toMatchObject({
      unit: 's',
      alertStart: new Date(ALERT_MS).toISOString(),
      onset: new Date(NOW_MS - 25 * 60_000).toISOString(),
      end: new Date(NOW_MS).toISOString(),
      series: [{ query: prometheus.queries.at(-1), legend: ['replicaset'] }],
    });
  });

  it('draws nothing when no version of the workload reported', async () => {
    const { context: toolContext } = await context(['http_request_duration_seconds_bucket'], () => []);
    const output = await versionChange(params, toolContext);
    expect(output.status).toBe('no_data');
    expect(output.graph).toBeUndefined();
  });

  it('falls back to the HTTP histogram when the vLLM one has no series for this workload', async () => {
    const { prometheus, context: toolContext } = await context(
      ['vllm:e2e_request_latency_seconds_bucket', 'http_request_duration_seconds_bucket'],
      (query) =>
        query.includes('http_request_duration_seconds_bucket')
          ? [version('cart-svc-6b7d9c5f4', 180, 24, () => 0.2), version('cart-svc-59f8d7c6b', 25, 0, () => 0.9)]
          : [],
    );
    const output = await versionChange(params, toolContext);
    expect(prometheus.queries).toHaveLength(2);
    expect((output.data as VersionChangeData).new?.version).toBe('cart-svc-59f8d7c6b');
  });

  it('says the signal is not collected, and how to collect it, when no dialect exists here', async () => {
    const { context: toolContext } = await context(['up'], () => []);
    const output = await versionChange({ ...params, signal: 'error_ratio_by_version' }, toolContext);
    expect(output.status).toBe('no_data');
    expect(output.missing).toMatchObject({ metrics: ['http_requests_total'] });
    expect(output.missing?.fix).toContain('status code');
  });

  it('refuses a signal that is not measured per version, naming the ones that are', async () => {
    const { context: toolContext } = await context(['kube_pod_container_status_restarts_total'], () => []);
    await expect(versionChange({ ...params, signal: 'restarts' }, toolContext)).rejects.toThrow(
      /not measured per version/,
    );
  });
});
