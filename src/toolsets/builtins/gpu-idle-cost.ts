import { alertStartOf } from '../diagnostics/kube-reads.js';
import { parseDuration } from '../../core/duration.js';
import { HolmesError } from '../../core/errors.js';
import type { GraphSpec } from '../../core/graph-spec.js';
import { readPodStartTimes } from '../diagnostics/pod-start-times.js';
import { renderPromql } from '../render-promql.js';
import {
  dcgmWorkloadLabels,
  opencostWorkloadLabels,
  telemetryProfile,
  type TelemetryProfile,
} from '../signals/telemetry-profile.js';
import { graphStep, toolGraph } from '../signals/tool-graph.js';
import { ListValue } from '../template-values.js';
import type { BuiltinTool } from '../tool-context.js';

/** A pod that holds GPUs, how busy they were and what they cost. */
export interface GpuHolder {
  namespace: string;
  pod: string;
  node: string | null;
  gpus: number;
  /** Mean GPU activity (0-1) over the window: its busiest GPU's, so one busy GPU keeps the pod busy. */
  activity: number | null;
  /** Hours since the pod started. */
  heldHours: number | null;
  usdPerHour: number | null;
  /** Idle for the whole window; `fresh`: idle but started within it (loading, warming up). */
  idle: boolean;
  fresh: boolean;
}

export interface IdleFindings {
  windowHours: number;
  pods: GpuHolder[];
  idle: GpuHolder[];
  fresh: GpuHolder[];
  /** Quiet pods whose start is unknown (no Kubernetes API, no kube_pod_start_time): idle or just started, nobody can say. */
  unknownStart: GpuHolder[];
  heldGpus: number;
  idleGpus: number;
  idleShare: number | null;
  idleUsdPerHour: number | null;
}

/** Which GPU holders sat idle for the whole window, and their share of the GPUs and cost. */
export function findIdleHolders(
  pods: Array<Omit<GpuHolder, 'idle' | 'fresh'>>,
  windowHours: number,
  threshold: number,
): IdleFindings {
  const rows = pods.map((pod) => {
    const quiet = pod.activity !== null && pod.activity < threshold;
    const long = pod.heldHours !== null && pod.heldHours >= 0.9 * windowHours;
    return { ...pod, idle: quiet && long, fresh: quiet && pod.heldHours !== null && !long };
  });
  const idle = rows.filter((row) => row.idle);
  const heldGpus = rows.reduce((sum, row) => sum + row.gpus, 0);
  const idleGpus = idle.reduce((sum, row) => sum + row.gpus, 0);
  const prices = idle.map((row) => row.usdPerHour).filter((value): value is number => value !== null);
  const unknownStart = rows.filter(
    (row) => row.activity !== null && row.activity < threshold && row.heldHours === null,
  );
  return {
    windowHours,
    pods: rows,
    idle,
    fresh: rows.filter((row) => row.fresh),
    unknownStart,
    heldGpus,
    idleGpus,
    // Quiet GPUs of unknown age may be idle ones: the share is not known then.
    idleShare: heldGpus > 0 && unknownStart.length === 0 ? idleGpus / heldGpus : null,
    idleUsdPerHour: prices.length > 0 ? prices.reduce((sum, value) => sum + value, 0) : null,
  };
}

const HOUR = 3_600_000;
/** Pods a graph selects at most: it shows a few and counts the rest, and its query stays short. */
const GRAPH_PODS = 24;

export interface IdleGraphInput {
  findings: IdleFindings;
  /** The activity metric that answered, as the instant query read it. */
  metric: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE' | 'DCGM_FI_DEV_GPU_UTIL';
  profile: TelemetryProfile;
  namespace: string | undefined;
  threshold: number;
  windowMs: number;
  nowMs: number;
  alertStartMs: number;
}

/**
 * The GPU activity of the idle holders (without any, of every holder) against the idle line, from
 * three hours before the alert (or twice the window, if longer).
 */
export function idleGraph(input: IdleGraphInput): GraphSpec | undefined {
  const idle = input.findings.idle.length > 0;
  const pods = (idle ? input.findings.idle : input.findings.pods.filter((pod) => pod.activity !== null))
    .slice(0, GRAPH_PODS)
    .map((pod) => pod.pod);
  if (pods.length === 0) return undefined;
  const names = dcgmWorkloadLabels(input.profile);
  const view = { ns: names.namespace, pod: names.pod, namespace: input.namespace, pods: new ListValue(pods) };
  const selector = renderPromql('{{#namespace}}{{ns}}="{{namespace}}", {{/namespace}}{{pod}}=~"{{pods}}"', view);
  const by = `max by (${names.namespace}, ${names.pod})`;
  // As the mean was read: GR_ENGINE_ACTIVE is 0-1, GPU_UTIL a percentage of whole GPUs only.
  const query =
    input.metric === 'DCGM_FI_PROF_GR_ENGINE_ACTIVE'
      ? `${by} (DCGM_FI_PROF_GR_ENGINE_ACTIVE{${selector}})`
      : `${by} (DCGM_FI_DEV_GPU_UTIL{${selector}, GPU_I_ID=""}) / 100`;
  const startMs = Math.min(input.nowMs - 2 * input.windowMs, input.alertStartMs - 3 * HOUR);
  return toolGraph({
    title: `GPU activity of the ${idle ? 'idle ' : ''}GPU holders${input.namespace ? ` of ${input.namespace}` : ''}`,
    unit: 'ratio',
    startMs,
    endMs: input.nowMs,
    stepSeconds: graphStep(startMs, input.nowMs),
    alertStartMs: input.alertStartMs,
    threshold: { value: input.threshold, label: 'idle under' },
    series: [{ query, legend: [names.pod], role: idle ? 'suspect' : 'context' }],
  });
}

/**
 * `idle_gpu_cost`: the pods of a namespace that hold GPUs (OpenCost allocation or
 * kube-state-metrics requests), their mean GPU activity over a window (DCGM in either label
 * dialect: GR_ENGINE_ACTIVE, or GPU_UTIL outside MIG), how long they have held them and the hourly
 * dollars of those left idle.
 */
export const idleGpuCost: BuiltinTool = async (params, context) => {
  const prometheus = context.prometheus;
  if (!prometheus)
    throw new HolmesError('UPSTREAM_UNAVAILABLE', 'No Prometheus is configured.', { fix: 'Set prometheus.url.' });
  const now = context.now();
  const profile = await telemetryProfile(prometheus, now);
  const namespace = typeof params.namespace === 'string' ? params.namespace : undefined;
  const window = typeof params.window === 'string' ? params.window : '1h';
  const threshold = typeof params.idle_threshold === 'number' ? params.idle_threshold : 0.05;
  const alertStartMs = alertStartOf(params, now);
  const names = dcgmWorkloadLabels(profile);
  const view = { namespace, ns: names.namespace, pod: names.pod };
  const only = (label: string) => (namespace ? renderPromql(`${label}="{{namespace}}"`, view) : `${label}!=""`);
  const requests: string[] = [];
  const raw: string[] = [];
  const query = async (text: string) => {
    const result = await prometheus.instantQuery(text, now);
    requests.push(result.request);
    raw.push(result.raw);
    return result.resultType === 'vector' ? result.series : [];
  };
  // OpenCost's allocation in the label dialect of its scrape; else (or when it has none for the
  // namespace) the requests kube-state-metrics reports.
  const cost = opencostWorkloadLabels(profile);
  const allocated = profile.metrics.has('container_gpu_allocation')
    ? (
        await query(
          `sum by (${cost.namespace}, ${cost.pod}, node) (max by (${cost.namespace}, ${cost.pod}, ${cost.container}, node) (container_gpu_allocation{${only(cost.namespace)}}))`,
        )
      ).map((series) => ({
        ...series,
        labels: {
          namespace: series.labels[cost.namespace] ?? '',
          pod: series.labels[cost.pod] ?? '',
          node: series.labels.node ?? '',
        },
      }))
    : [];
  const held =
    allocated.length > 0 || !profile.metrics.has('kube_pod_container_resource_requests')
      ? allocated
      : await query(
          `sum by (namespace, pod, node) (kube_pod_container_resource_requests{${only('namespace')}, resource="nvidia_com_gpu"})`,
        );
  const activityQueries = [
    ...(profile.metrics.has('DCGM_FI_PROF_GR_ENGINE_ACTIVE')
      ? [
          {
            metric: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE' as const,
            text: `max by (${names.namespace}, ${names.pod}) (avg_over_time(DCGM_FI_PROF_GR_ENGINE_ACTIVE{${only(names.namespace)}}[${window}]))`,
          },
        ]
      : []),
    // GPU_UTIL reads 0 on MIG instances: only whole GPUs.
    ...(profile.metrics.has('DCGM_FI_DEV_GPU_UTIL')
      ? [
          {
            metric: 'DCGM_FI_DEV_GPU_UTIL' as const,
            text: `max by (${names.namespace}, ${names.pod}) (avg_over_time(DCGM_FI_DEV_GPU_UTIL{${only(names.namespace)}, GPU_I_ID=""}[${window}])) / 100`,
          },
        ]
      : []),
  ];
  let activity: Awaited<ReturnType<typeof query>> = [];
  let activityMetric: (typeof activityQueries)[number]['metric'] | undefined;
  for (const { metric, text } of activityQueries) {
    activity = await query(text);
    activityMetric = metric;
    if (activity.length > 0) break;
  }
  const prices = profile.metrics.has('node_gpu_hourly_cost') ? await query('max by (node) (node_gpu_hourly_cost)') : [];
  const started = new Map<string, number>();
  if (context.kube) {
    try {
      const list = await context.kube.list('Pod', namespace ? { namespace } : {});
      requests.push(list.request);
      for (const pod of list.items) {
        const at = Date.parse(String((pod.status as { startTime?: string } | undefined)?.startTime ?? ''));
        if (Number.isFinite(at)) started.set(`${pod.metadata.namespace}/${pod.metadata.name}`, at);
      }
    } catch {
      // The API is unreachable or refuses: kube-state-metrics knows the same start times.
    }
  }
  const unknown = held
    .map((series) => ({ namespace: series.labels.namespace ?? '', pod: series.labels.pod ?? '' }))
    .filter((entry) => !started.has(`${entry.namespace}/${entry.pod}`));
  if (unknown.length > 0 && profile.metrics.has('kube_pod_start_time')) {
    const fromMetrics = await readPodStartTimes(prometheus, { pods: unknown }, now);
    requests.push(...fromMetrics.requests);
    for (const [key, at] of fromMetrics.started) started.set(key, at);
  }
  const activityOf = new Map(
    activity.map((series) => [`${series.labels[names.namespace]}/${series.labels[names.pod]}`, series.value[1]]),
  );
  const priceOf = new Map(prices.map((series) => [series.labels.node, series.value[1]]));
  const holders = held
    .filter((series) => series.value[1] > 0)
    .map((series) => {
      const key = `${series.labels.namespace}/${series.labels.pod}`;
      const node = series.labels.node || null;
      const startMs = started.get(key);
      const price = node ? priceOf.get(node) : undefined;
      return {
        namespace: series.labels.namespace ?? '',
        pod: series.labels.pod ?? '',
        node,
        gpus: series.value[1],
        activity: activityOf.get(key) ?? null,
        heldHours: startMs === undefined ? null : (now.getTime() - startMs) / 3_600_000,
        usdPerHour: price === undefined ? null : price * series.value[1],
      };
    });
  const findings = findIdleHolders(holders, parseDuration(window) / HOUR, threshold);
  const graph =
    activity.length > 0 && activityMetric
      ? idleGraph({
          findings,
          metric: activityMetric,
          profile,
          namespace,
          threshold,
          windowMs: parseDuration(window),
          nowMs: now.getTime(),
          alertStartMs,
        })
      : undefined;
  const line = (row: GpuHolder) =>
    `  ${row.namespace}/${row.pod} on ${row.node ?? '?'}: ${row.gpus} GPU, mean activity ${row.activity === null ? '—' : `${(row.activity * 100).toFixed(1)}%`}, held ${row.heldHours === null ? '?' : row.heldHours.toFixed(1)} h${row.usdPerHour === null ? '' : `, $${row.usdPerHour.toFixed(2)}/h`}${row.idle ? ' — IDLE' : row.fresh ? ' — idle, just started' : ''}`;
  return {
    status: holders.length === 0 ? 'no_data' : 'success',
    text:
      holders.length === 0
        ? `No pod${namespace ? ` of ${namespace}` : ''} holds GPUs.`
        : [
            `GPUs held${namespace ? ` in ${namespace}` : ''}: ${findings.heldGpus}; idle for the whole last ${window} (< ${threshold * 100}% activity): ${findings.idleGpus}${findings.idleUsdPerHour === null ? '' : ` ($${findings.idleUsdPerHour.toFixed(2)}/h)`}.`,
            ...findings.pods.sort((a, b) => (a.activity ?? 1) - (b.activity ?? 1)).map(line),
          ].join('\n'),
    data: findings,
    requests,
    raw,
    ...(graph ? { graph } : {}),
  };
};
