import { alertStartOf } from '../diagnostics/kube-reads.js';
import type { GraphSpec } from '../../core/graph-spec.js';
import { readPodStartTimes } from '../diagnostics/pod-start-times.js';
import { renderPromql } from '../render-promql.js';
import { alertSignal, type AlertSignal } from '../signals/alert-signal.js';
import { dcgmWorkloadLabels, type TelemetryProfile } from '../signals/telemetry-profile.js';
import { graphStep, toolGraph } from '../signals/tool-graph.js';
import { createPodMatcher, ourPodsRegex, type WorkloadScope } from '../signals/workload-scope.js';
import { RegexValue } from '../template-values.js';
import type { BuiltinTool } from '../tool-context.js';
import { findNeighbours, type NeighbourFindings } from './gpu-neighbours.js';
import { readGpuNodes } from './gpu-nodes.js';
import {
  describeWorkload,
  readGpuAttribution,
  readGpuWorkloads,
  type GpuAttribution,
  type GpuSeries,
  nameList,
  onGpus,
} from './gpu-workloads.js';

export interface SharedGpu {
  gpuKey: string;
  node: string;
  gpu: string;
  model: string;
  /** `mig`: partitions with their own SMs and memory; `time-slicing`: pods take turns on one GPU (time-slicing or MPS). */
  mode: 'mig' | 'time-slicing';
  workloads: GpuSeries[];
}

const MINUTE = 60_000;
/** How far back attribution is read: the onset search of every check (2 h) and an hour before it. */
const LOOK_BACK_MS = 180 * MINUTE;

/** Physical GPUs that dcgm-exporter attributes to more than one pod right now, and how they share it. */
export function findSharedGpus(gpus: GpuSeries[]): SharedGpu[] {
  const byGpu = new Map<string, GpuSeries[]>();
  for (const entry of gpus) if (entry.pod) byGpu.set(entry.gpuKey, [...(byGpu.get(entry.gpuKey) ?? []), entry]);
  const shared: SharedGpu[] = [];
  for (const [gpuKey, entries] of byGpu) {
    const pods = new Set(entries.map((entry) => `${entry.namespace}/${entry.pod}`));
    if (pods.size < 2) continue;
    const first = entries[0]!;
    const instances = new Set(entries.map((entry) => entry.migInstance));
    // Distinct MIG instances per pod are isolated; pods on the same instance (or no MIG) contend.
    const mode =
      entries.every((entry) => entry.migInstance !== null) && instances.size === pods.size ? 'mig' : 'time-slicing';
    shared.push({ gpuKey, node: first.node, gpu: first.gpu, model: first.model, mode, workloads: entries });
  }
  return shared;
}

function scopeOf(params: Record<string, unknown>): WorkloadScope | undefined {
  const namespace = typeof params.namespace === 'string' ? params.namespace : undefined;
  const pods = nameList(params.pods);
  const workload = typeof params.workload === 'string' ? params.workload : undefined;
  return namespace && (pods.length > 0 || workload) ? { namespace, workload, pods } : undefined;
}

function describeFindings(findings: NeighbourFindings): string[] {
  const how = {
    shares: 'the exporter attributes the GPU to both',
    'attribution-switched': "the exporter's attribution switched between them while both still run there",
    hidden: 'a GPU pod on a time-sliced node whose only GPUs in use are ours',
  };
  return [
    `Our GPUs: ${findings.ours.gpus.join(', ') || 'none attributed by dcgm-exporter'}.`,
    ...findings.neighbours.map(
      (entry) =>
        `Neighbour ${entry.namespace}/${entry.pod} time-slices gpu ${entry.gpu} on ${entry.node} with ${entry.victims.join(', ')} since ${entry.since?.slice(11, 16) ?? '?'}Z (${how[entry.how]}).`,
    ),
    ...findings.possible.map(
      (entry) => `Maybe: ${entry.namespace}/${entry.pod} holds a GPU replica on ${entry.node} (which GPU is unknown).`,
    ),
    ...(findings.isolated.length > 0 ? [`Isolated in their own MIG instances: ${findings.isolated.join(', ')}.`] : []),
  ];
}

export interface SharingGraphInput {
  findings: NeighbourFindings;
  attributions: GpuAttribution[];
  isOurs: (namespace: string | undefined, pod: string | undefined) => boolean;
  scope: WorkloadScope;
  profile: TelemetryProfile;
  aliases: Record<string, string>;
  startMs: number;
  endMs: number;
  alertStartMs: number;
  /** The alert's symptom: with a neighbour, drawn against the neighbour's GPU activity. */
  symptom?: AlertSignal | undefined;
}

/**
 * With a neighbour and the alert's symptom: the symptom (left) against the neighbour's activity on
 * the shared GPU (right), the onset where it arrived. Otherwise the activity of the shared GPUs (or
 * of our GPUs) per pod the exporter names on them, ours as the victims and the others as suspects.
 * On one time-sliced device the exporter reports the same activity for every pod it names, so
 * the per-pod lines of ours and theirs coincide: the symptom is what tells the story.
 */
export function sharingGraph(input: SharingGraphInput): GraphSpec | undefined {
  const { findings, profile } = input;
  const shared = new Set(findings.neighbours.map((entry) => entry.gpuKey));
  const keys =
    shared.size > 0
      ? [...shared]
      : [...new Set(input.attributions.filter((row) => input.isOurs(row.namespace, row.pod)).map((row) => row.gpuKey))];
  // GR_ENGINE_ACTIVE as readGpuWorkloads prefers it (right on MIG), else GPU_UTIL.
  const [metric, unit] = profile.metrics.has('DCGM_FI_PROF_GR_ENGINE_ACTIVE')
    ? (['DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'ratio'] as const)
    : (['DCGM_FI_DEV_GPU_UTIL', 'percent'] as const);
  if (keys.length === 0 || !profile.metrics.has(metric)) return undefined;
  const names = dcgmWorkloadLabels(profile);
  const view = {
    ns: names.namespace,
    pod: names.pod,
    namespace: input.scope.namespace,
    pods: new RegexValue(ourPodsRegex(input.scope)),
  };
  const ours = renderPromql('{{ns}}="{{namespace}}", {{pod}}=~"{{pods}}"', view);
  const attributed = renderPromql('{{pod}}!=""', view);
  const by = `max by (${names.namespace}, ${names.pod})`;
  const gpus = [
    ...new Map(
      input.attributions
        .filter((row) => keys.includes(row.gpuKey))
        .map((row) => [row.gpuKey, `gpu ${row.gpu} on ${row.node}`]),
    ).values(),
  ];
  const arrivals = findings.neighbours
    .map((entry) => Date.parse(entry.since ?? ''))
    .filter((ms) => ms >= input.startMs);
  const theirs = `${by} (${onGpus(metric, keys, input.aliases, attributed)} unless ${onGpus(metric, keys, input.aliases, ours)})`;
  const { symptom } = input;
  if (symptom && shared.size > 0) {
    const neighbours = [...new Set(findings.neighbours.map((entry) => entry.pod))];
    const sameUnit = symptom.unit === unit;
    return toolGraph({
      title: `Symptom vs ${neighbours.join(', ')} on ${gpus.join(', ')}`,
      unit: symptom.unit,
      ...(sameUnit ? {} : { rightUnit: unit }),
      startMs: input.startMs,
      endMs: input.endMs,
      stepSeconds: graphStep(input.startMs, input.endMs),
      alertStartMs: input.alertStartMs,
      onset: arrivals.length > 0 ? Math.min(...arrivals) : null,
      threshold: symptom.threshold,
      series: [
        { query: symptom.query, legend: "the alert's expression", role: 'victim' },
        {
          query: theirs,
          legend: [names.pod],
          role: 'suspect',
          ...(sameUnit ? {} : { axis: 'right' as const }),
        },
      ],
    });
  }
  return toolGraph({
    title: `GPU activity per pod on ${gpus.length > 0 ? gpus.join(', ') : 'our GPUs'}`,
    unit,
    startMs: input.startMs,
    endMs: input.endMs,
    stepSeconds: graphStep(input.startMs, input.endMs),
    alertStartMs: input.alertStartMs,
    onset: arrivals.length > 0 ? Math.min(...arrivals) : null,
    series: [
      { query: `${by} (${onGpus(metric, keys, input.aliases, ours)})`, legend: [names.pod], role: 'victim' },
      { query: theirs, legend: [names.pod], role: 'suspect' },
    ],
  });
}

/**
 * `gpu_sharing`: physical GPUs used by more than one workload. With the alert's workload it says
 * which other workloads time-slice its GPUs (ours/others), from dcgm-exporter's attribution over
 * the last hours in either label dialect, GPU feature discovery's labels and the GPU pods on its nodes.
 */
export const gpuSharing: BuiltinTool = async (params, context) => {
  const now = context.now();
  const aliases = context.toolset.labelAliases;
  const { gpus, requests, raw } = await readGpuWorkloads(context.prometheus, aliases, now);
  let shared = findSharedGpus(gpus);
  const namespace = typeof params.namespace === 'string' ? params.namespace : undefined;
  const pod = typeof params.pod === 'string' ? new RegExp(params.pod) : undefined;
  if (namespace || pod) {
    shared = shared.filter((gpu) =>
      gpu.workloads.some(
        (entry) => (!namespace || entry.namespace === namespace) && (!pod || pod.test(entry.pod ?? '')),
      ),
    );
  }
  const lines = shared.map((gpu) => {
    const how =
      gpu.mode === 'mig'
        ? 'MIG partitions (isolated SMs and memory)'
        : 'time-sliced/MPS (no isolation: they contend for SMs and memory bandwidth)';
    return `GPU ${gpu.gpu} on ${gpu.node} ${gpu.model} (${gpu.gpuKey}): ${gpu.workloads.length} workloads, ${how}\n  ${gpu.workloads.map(describeWorkload).join('\n  ')}`;
  });
  const gpuCount = new Set(gpus.map((gpu) => gpu.gpuKey)).size;
  const scope = scopeOf(params);
  let findings: NeighbourFindings | undefined;
  let graph: GraphSpec | undefined;
  if (scope) {
    const alertStartMs = alertStartOf(params, now);
    const history = await readGpuAttribution(context.prometheus, aliases, alertStartMs - LOOK_BACK_MS, now);
    const isOurs = createPodMatcher(scope);
    const nodes = [
      ...new Set([
        ...nameList(params.nodes),
        ...history.attributions.filter((row) => isOurs(row.namespace, row.pod)).map((row) => row.node),
      ]),
    ];
    // An unreachable API leaves the answer to the metrics, as if Kubernetes were not configured.
    const kube = await readGpuNodes(context.kube, nodes).catch(() => undefined);
    const kubePods = kube?.pods ?? [];
    // Start times of the other pods on our GPUs that Kubernetes did not give: kube-state-metrics has them.
    const ourKeys = new Set(
      history.attributions.filter((row) => isOurs(row.namespace, row.pod)).map((row) => row.gpuKey),
    );
    const unknown = history.attributions
      .filter((row) => ourKeys.has(row.gpuKey) && !isOurs(row.namespace, row.pod))
      .filter((row) => !kubePods.some((entry) => entry.namespace === row.namespace && entry.pod === row.pod))
      .map((row) => ({ namespace: row.namespace, pod: row.pod }));
    const starts = await readPodStartTimes(context.prometheus, { pods: unknown }, now);
    requests.push(...history.requests, ...(kube?.requests ?? []), ...starts.requests);
    raw.push(...history.raw, ...(kube?.raw ?? []));
    findings = findNeighbours({
      attributions: history.attributions,
      current: gpus,
      nodes: kube?.nodes ?? [],
      pods: kubePods,
      kubeRead: Boolean(context.kube && kube),
      startTimes: starts.started,
      isOurs,
      alertStartMs,
      nowMs: now.getTime(),
    });
    graph = sharingGraph({
      findings,
      attributions: history.attributions,
      isOurs,
      scope,
      profile: history.profile,
      aliases,
      startMs: alertStartMs - LOOK_BACK_MS,
      endMs: now.getTime(),
      alertStartMs,
      symptom: alertSignal(typeof params.alert_expr === 'string' ? params.alert_expr : undefined),
    });
    lines.unshift(
      ...describeFindings(findings),
      ...(kube?.nodes ?? [])
        .filter((node) => node.timeSliced)
        .map(
          (node) =>
            `Node ${node.node} shares its GPUs (${node.sharing ?? 'no strategy label'}, replicas ${node.replicas ?? '?'}, ${node.allocatable ?? '?'} allocatable for ${node.physical ?? '?'} physical).`,
        ),
    );
  }
  return {
    status: gpus.length === 0 ? 'no_data' : 'success',
    text:
      gpus.length === 0
        ? 'No DCGM GPU series found.'
        : lines.length === 0
          ? `No shared GPUs among ${gpuCount} GPUs${namespace ? ` used by ${namespace}` : ''}: every GPU serves one workload.`
          : lines.join('\n'),
    data: { sharedGpus: shared, gpuCount, ...(findings ?? {}) },
    requests,
    raw,
    ...(graph ? { graph } : {}),
  };
};
