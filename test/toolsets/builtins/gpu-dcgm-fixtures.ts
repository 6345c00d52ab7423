import type { RangeSeries } from '../../../src/telemetry/prometheus-types.js';
import { BUILTINS } from '../../../src/toolsets/builtins/index.js';
import { BUILTIN_TOOLSETS_DIR, loadToolsets } from '../../../src/toolsets/load-toolsets.js';
import type { TelemetryProfile } from '../../../src/toolsets/signals/telemetry-profile.js';
import type { ToolContext } from '../../../src/toolsets/tool-context.js';
import { fakePrometheus } from '../fake-clients.js';

/** A telemetry profile of a cluster whose DCGM workload labels take `shape`. */
export function dcgmProfile(shape: 'plain' | 'exported', metrics: string[] = []): TelemetryProfile {
  return {
    metrics: new Set(metrics),
    dcgm: { present: true, workloadLabels: shape, xidPerCode: false, clockReasons: null },
    opencost: { workloadLabels: 'none' },
    litellm: { present: false, tokens: 'none', teamAlias: false, teams: [], endUser: false },
    vllm: { present: false, interTokenLatency: 'none', kvCache: 'none' },
    fabric: { infiniband: false, roceCongestion: false },
    readAtMs: 0,
  };
}

/** Labels as dcgm-exporter exposes them behind the gpu-operator's ServiceMonitor (honorLabels: false). */
export function exported(gpu: string, node: string, workload?: { namespace: string; pod: string }) {
  return {
    gpu,
    UUID: `GPU-${node}-${gpu}`,
    Hostname: node,
    modelName: 'NVIDIA L40S',
    namespace: 'gpu-operator',
    pod: 'nvidia-dcgm-exporter-m4qzt',
    container: 'nvidia-dcgm-exporter',
    ...(workload
      ? { exported_namespace: workload.namespace, exported_pod: workload.pod, exported_container: 'main' }
      : {}),
  };
}

/** Labels as a scrape with honor_labels (or a plain exporter) gives them. */
export function plain(gpu: string, node: string, workload?: { namespace: string; pod: string }) {
  return { gpu, UUID: `GPU-${node}-${gpu}`, Hostname: node, ...(workload ?? {}) };
}

/** `count` samples every `stepMs` ending at `endMs`, valued by `value(i)`. */
export function samples(
  endMs: number,
  count: number,
  stepMs: number,
  value: (index: number) => number,
): Array<[number, number]> {
  return Array.from({ length: count }, (_, index) => [(endMs - (count - 1 - index) * stepMs) / 1000, value(index)]);
}

const { toolsets } = await loadToolsets({
  directories: [BUILTIN_TOOLSETS_DIR],
  builtins: new Set(Object.keys(BUILTINS)),
});
/** The gpu/dcgm toolset as shipped: its label aliases are under test too. */
export const dcgmToolset = toolsets.find(({ spec }) => spec.id === 'gpu/dcgm')!.spec;

/**
 * A cluster at `nowMs` whose DCGM range queries answer by metric name; the workload labels of
 * `workload` (one pod's, plain or exported_*) tell the profile which dialect it scrapes.
 */
export function dcgmCluster(
  byMetric: Record<string, RangeSeries[]>,
  workload: Record<string, string>,
  nowMs: number,
): ToolContext {
  const prometheus = fakePrometheus({
    metricNames: Object.keys(byMetric),
    instant: (query) => (query.startsWith('count by (exported_pod, pod)') ? [{ labels: workload, value: [0, 1] }] : []),
    range: (query) => byMetric[query] ?? [],
  });
  return { prometheus, kube: undefined, now: () => new Date(nowMs), toolset: dcgmToolset, signals: new Map() };
}
