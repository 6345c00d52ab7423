import { describe, expect, it } from 'vitest';
import type { InstantSeries, RangeSeries } from '../../../src/telemetry/prometheus-types.js';
import { gpuSharing, sharingGraph } from '../../../src/toolsets/builtins/gpu-sharing.js';
import type { ToolContext } from '../../../src/toolsets/tool-context.js';
import { fakePrometheus } from '../fake-clients.js';
import { dcgmProfile, dcgmToolset, exported, plain, samples } from './gpu-dcgm-fixtures.js';

const MINUTE = 60_000;
const NOW = Date.parse('2026-12-02T17:00:00Z');
const ALERT = NOW - 14 * MINUTE;
const ARRIVED = NOW - 23 * MINUTE;
const STEP = 30_000;
const ours = { namespace: 'llm', pod: 'chat-api-6f8b9c7d54-2xkqp' };
const batch = { namespace: 'ml-batch', pod: 'embed-batch-r4812-v7k2p' };
const ACTIVITY = [
  'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  'DCGM_FI_DEV_GPU_UTIL',
  'DCGM_FI_DEV_FB_USED',
  'DCGM_FI_DEV_FB_FREE',
];

/** A cluster whose dcgm-exporter attributes GPU 3 of `node` to our pod all along and, when `neighbour`, to a batch pod since ARRIVED. */
function cluster(
  labels: (gpu: string, node: string, workload: typeof ours) => Record<string, string>,
  neighbour: boolean,
  metrics = ACTIVITY,
) {
  const gpus = [labels('3', 'gpu-a100-07', ours), ...(neighbour ? [labels('3', 'gpu-a100-07', batch)] : [])];
  const prometheus = fakePrometheus({
    metricNames: metrics,
    instant: (): InstantSeries[] => gpus.map((entry) => ({ labels: entry, value: [NOW / 1000, 0.97] })),
    range: (query): RangeSeries[] =>
      query.startsWith('group by')
        ? [
            { labels: gpus[0]!, values: samples(NOW, 400, STEP, () => 1) },
            ...(neighbour
              ? [{ labels: gpus[1]!, values: samples(NOW, (NOW - ARRIVED) / STEP + 1, STEP, () => 1) }]
              : []),
          ]
        : [],
  });
  const context: ToolContext = {
    prometheus,
    kube: undefined,
    now: () => new Date(NOW),
    toolset: dcgmToolset,
    signals: new Map(),
  };
  return context;
}

const params = (namespace = 'llm') => ({
  namespace,
  workload: 'chat-api',
  pods: [ours.pod],
  alert_start: new Date(ALERT).toISOString(),
});

describe('gpuSharing graph', () => {
  it("draws the shared GPU's activity per pod, ours as victims and the neighbour as suspect, from its arrival (exported_* labels)", async () => {
    const result = await gpuSharing(params(), cluster(exported, true));
    const graph = result.graph!;
    expect((result.data as { neighbours: unknown[] }).neighbours).toHaveLength(1);
    expect(graph).toMatchObject({
      title: 'GPU activity per pod on gpu 3 on gpu-a100-07',
      unit: 'ratio',
      alertStart: new Date(ALERT).toISOString(),
      onset: new Date(ARRIVED).toISOString(),
      end: new Date(NOW).toISOString(),
    });
    const [victims, suspects] = graph.series;
    expect(victims).toMatchObject({ role: 'victim', legend: ['exported_pod'] });
    expect(victims!.query).toMatch(
      /^max by \(exported_namespace, exported_pod\) \(\(DCGM_FI_PROF_GR_ENGINE_ACTIVE\{UUID=~"GPU-gpu-a100-07-3", exported_namespace="llm", exported_pod=~"[^"]*chat-api-6f8b9c7d54-2xkqp/,
    );
    // Every other pod the exporter names on that GPU: attributed, and not ours.
    expect(suspects).toMatchObject({ role: 'suspect', legend: ['exported_pod'] });
    expect(suspects!.query).toContain(
      'exported_pod!=""}) unless (DCGM_FI_PROF_GR_ENGINE_ACTIVE{UUID=~"GPU-gpu-a100-07-3"',
    );
  });

  it("draws the alert's symptom against the neighbour's activity when the alert carries its rule", async () => {
    const rule =
      'histogram_quantile(0.99, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{service="chat-api"}[5m])))';
    const result = await gpuSharing({ ...params(), alert_expr: `${rule} > 2` }, cluster(exported, true));
    const graph = result.graph!;
    expect(graph).toMatchObject({
      title: 'Symptom vs embed-batch-r4812-v7k2p on gpu 3 on gpu-a100-07',
      unit: 's',
      rightUnit: 'ratio',
      threshold: { value: 2, label: 'alert fires >' },
      onset: new Date(ARRIVED).toISOString(),
    });
    expect(graph.series).toHaveLength(2);
    expect(graph.series[0]).toEqual({ query: rule, legend: "the alert's expression", role: 'victim' });
    expect(graph.series[1]).toMatchObject({ role: 'suspect', axis: 'right', legend: ['exported_pod'] });
    expect(graph.series[1]!.query).toContain('unless');
  });

  it("keeps the per-pod activity when the alert's rule is broken, or when no neighbour shares our GPUs", async () => {
    const broken = await gpuSharing({ ...params(), alert_expr: 'sum(rate(x[5m]) >' }, cluster(exported, true));
    expect(broken.graph?.title).toBe('GPU activity per pod on gpu 3 on gpu-a100-07');
    const alone = await gpuSharing({ ...params(), alert_expr: 'up == 0' }, cluster(exported, false));
    expect(alone.graph?.series.map((series) => series.role)).toEqual(['victim', 'suspect']);
    expect(alone.graph?.series[0]!.query).toContain('DCGM_FI_PROF_GR_ENGINE_ACTIVE');
  });

  it('draws our GPUs without an onset when no neighbour shares them, in plain labels and GPU_UTIL', async () => {
    const result = await gpuSharing(
      params(),
      cluster(plain, false, ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE']),
    );
    const graph = result.graph!;
    expect(graph.unit).toBe('percent');
    expect(graph.onset).toBeUndefined();
    expect(graph.series[0]!.query).toMatch(
      /^max by \(namespace, pod\) \(\(DCGM_FI_DEV_GPU_UTIL\{UUID=~"GPU-gpu-a100-07-3", namespace="llm", pod=~"/,
    );
  });

  it('escapes the namespace and pod names from the alert where they land in the query', () => {
    const namespace = 'llm"} or vector(1) or x{a="';
    const graph = sharingGraph({
      findings: {
        ours: { pods: [], gpus: [] },
        neighbours: [],
        possible: [],
        isolated: [],
        busiest: null,
        fullest: null,
      },
      attributions: [
        {
          gpuKey: 'GPU-1',
          node: 'n1',
          gpu: '0',
          migInstance: null,
          namespace,
          pod: 'a.b',
          firstMs: NOW - 60 * MINUTE,
          lastMs: NOW,
        },
      ],
      isOurs: () => true,
      scope: { namespace, pods: ['a.b'] },
      profile: dcgmProfile('plain', ['DCGM_FI_DEV_GPU_UTIL']),
      aliases: {},
      startMs: NOW - 180 * MINUTE,
      endMs: NOW,
      alertStartMs: ALERT,
    })!;
    expect(graph.series[0]!.query).toBe(
      'max by (namespace, pod) ((DCGM_FI_DEV_GPU_UTIL{UUID=~"GPU-1", namespace="llm\\"} or vector(1) or x{a=\\"", pod=~"a\\\\.b"}))',
    );
  });

  it('gives no graph without the workload to draw it for', async () => {
    const result = await gpuSharing({ namespace: 'llm' }, cluster(exported, true));
    expect(result.status).toBe('success');
    expect(result.graph).toBeUndefined();
  });
});
