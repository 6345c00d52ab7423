import { HolmesError } from '../../core/errors.js';
import type { PrometheusClient, RangeSeries } from '../../telemetry/prometheus-types.js';
import { applyLabelAliases } from '../apply-label-aliases.js';
import { renderPromql } from '../render-promql.js';
import { ListValue } from '../template-values.js';
import { dcgmWorkloadLabels, telemetryProfile, type TelemetryProfile } from '../signals/telemetry-profile.js';

/** One GPU (or MIG instance) and the workload dcgm-exporter attributes to it. */
export interface GpuSeries {
  /** Physical GPU identity: UUID, or node/gpu when the exporter has no UUID. */
  gpuKey: string;
  node: string;
  gpu: string;
  model: string;
  migInstance: string | null;
  migProfile: string | null;
  namespace: string | null;
  pod: string | null;
  /** Percent busy: GR_ENGINE_ACTIVE×100 where profiling metrics exist (right on MIG), else GPU_UTIL. */
  activity: number | null;
  fbUsedMiB: number | null;
  fbFreeMiB: number | null;
}

/** When dcgm-exporter attributed a GPU (or MIG instance) to a pod, within a time range. */
export interface GpuAttribution {
  gpuKey: string;
  node: string;
  gpu: string;
  migInstance: string | null;
  namespace: string;
  pod: string;
  firstMs: number;
  lastMs: number;
}

/** A `names` parameter (an array, or comma-separated) as a list. */
export function nameList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value ? value.split(',').map((item) => item.trim()) : [];
}

const IDENTITY = 'Hostname, hostname, gpu, UUID, modelName, GPU_I_ID, GPU_I_PROFILE';

function requirePrometheus(prometheus: PrometheusClient | undefined): PrometheusClient {
  if (!prometheus)
    throw new HolmesError('UPSTREAM_UNAVAILABLE', 'No Prometheus is configured.', { fix: 'Set prometheus.url.' });
  return prometheus;
}

/**
 * A DCGM series' labels with the node under one name and the workload under `namespace`/`pod`,
 * whichever dialect the cluster scrapes: behind the gpu-operator's ServiceMonitor (honorLabels
 * false) the workload is `exported_*` and the plain labels name the exporter's own pod.
 */
export function dcgmLabels(
  labels: Record<string, string>,
  aliases: Record<string, string>,
  profile: TelemetryProfile,
): Record<string, string> {
  const names = dcgmWorkloadLabels(profile);
  const out = applyLabelAliases(labels, aliases);
  if (names.pod === 'pod') return out;
  for (const [plain, exported] of Object.entries(names)) {
    if (labels[exported]) out[plain] = labels[exported]!;
    else delete out[plain];
    delete out[exported];
  }
  return out;
}

/** The physical GPU a series is about. */
export function gpuIdentity(labels: Record<string, string>) {
  return {
    gpuKey: labels.UUID ?? `${labels.node ?? '?'}/${labels.gpu ?? '?'}`,
    node: labels.node ?? '?',
    gpu: labels.gpu ?? '?',
    migInstance: labels.GPU_I_ID || null,
  };
}

/** `group by` clause of the identity plus the dialect's workload labels. */
export function dcgmGrouping(profile: TelemetryProfile): string {
  const names = dcgmWorkloadLabels(profile);
  return `${IDENTITY}, ${names.namespace}, ${names.pod}`;
}

/** The label names a node has on DCGM series: those the toolset aliases to `node` (`Hostname`, `hostname`), and `node`. */
export function nodeLabelNames(aliases: Record<string, string>): string[] {
  return [...new Set([...Object.keys(aliases).filter((name) => aliases[name] === 'node'), 'node'])];
}

/** The labels that name a GPU in a legend (and keep it apart in a `max by`): its node, then its index. */
export function gpuLegend(aliases: Record<string, string>): string[] {
  return [...nodeLabelNames(aliases).slice(0, 3), 'gpu'];
}

/**
 * `metric` of the physical GPUs `gpuKeys` name (see gpuIdentity), as one expression: by UUID, or,
 * where the exporter gives none, by node and index under each name the node label may have.
 * `matchers` (already rendered) narrow every selector, e.g. to a workload's pods.
 */
export function onGpus(metric: string, gpuKeys: string[], aliases: Record<string, string>, matchers = ''): string {
  const more = matchers ? `, ${matchers}` : '';
  const uuids = [...new Set(gpuKeys.filter((key) => !key.includes('/')))];
  const selectors = uuids.length > 0 ? [renderPromql('UUID=~"{{uuids}}"', { uuids: new ListValue(uuids) })] : [];
  // Without a UUID the key is node/index: node names cannot hold a slash.
  for (const key of new Set(gpuKeys.filter((item) => item.includes('/')))) {
    const [node, gpu] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
    for (const label of nodeLabelNames(aliases))
      selectors.push(renderPromql('{{label}}="{{node}}", gpu="{{gpu}}"', { label, node, gpu }));
  }
  return `(${selectors.map((selector) => `${metric}{${selector}${more}}`).join(' or ')})`;
}

/**
 * Reads the GPUs dcgm-exporter reports, once per metric, and joins them by GPU and workload.
 * Exporter label spellings (`Hostname`/`hostname`, plain or `exported_*` workload) are all accepted.
 */
export async function readGpuWorkloads(
  client: PrometheusClient | undefined,
  aliases: Record<string, string>,
  at: Date,
) {
  const prometheus = requirePrometheus(client);
  const profile = await telemetryProfile(prometheus, at);
  const group = dcgmGrouping(profile);
  const queries = {
    engine: `max by (${group}) (DCGM_FI_PROF_GR_ENGINE_ACTIVE)`,
    util: `max by (${group}) (DCGM_FI_DEV_GPU_UTIL)`,
    used: `max by (${group}) (DCGM_FI_DEV_FB_USED)`,
    free: `max by (${group}) (DCGM_FI_DEV_FB_FREE)`,
  };
  const entries = Object.entries(queries);
  const results = await Promise.all(entries.map(([, query]) => prometheus.instantQuery(query, at)));
  const byKey = new Map<string, GpuSeries>();
  results.forEach((result, index) => {
    if (result.resultType !== 'vector') return;
    const metric = entries[index]![0];
    for (const sample of result.series) {
      const labels = dcgmLabels(sample.labels, aliases, profile);
      const identity = gpuIdentity(labels);
      const id = [identity.gpuKey, identity.migInstance ?? '', labels.namespace ?? '', labels.pod ?? ''].join('|');
      const entry =
        byKey.get(id) ??
        ({
          ...identity,
          model: labels.modelName ?? '',
          migProfile: labels.GPU_I_PROFILE ?? null,
          namespace: labels.namespace || null,
          pod: labels.pod || null,
          activity: null,
          fbUsedMiB: null,
          fbFreeMiB: null,
        } satisfies GpuSeries);
      const value = sample.value[1];
      if (metric === 'engine') entry.activity = value * 100;
      else if (metric === 'util' && entry.activity === null) entry.activity = value;
      else if (metric === 'used') entry.fbUsedMiB = value;
      else if (metric === 'free') entry.fbFreeMiB = value;
      byKey.set(id, entry);
    }
  });
  return {
    gpus: [...byKey.values()],
    profile,
    requests: results.map((result) => result.request),
    raw: results.map((result) => result.raw),
  };
}

/** First and last sample of each (GPU, pod) pair in range series of a DCGM metric. */
export function attributionsOf(
  series: RangeSeries[],
  aliases: Record<string, string>,
  profile: TelemetryProfile,
): GpuAttribution[] {
  const byKey = new Map<string, GpuAttribution>();
  for (const entry of series) {
    const labels = dcgmLabels(entry.labels, aliases, profile);
    if (!labels.pod || entry.values.length === 0) continue;
    const identity = gpuIdentity(labels);
    const key = [identity.gpuKey, identity.migInstance ?? '', labels.namespace ?? '', labels.pod].join('|');
    const firstMs = entry.values[0]![0] * 1000;
    const lastMs = entry.values.at(-1)![0] * 1000;
    const known = byKey.get(key);
    byKey.set(key, {
      ...identity,
      namespace: labels.namespace ?? '',
      pod: labels.pod,
      firstMs: Math.min(firstMs, known?.firstMs ?? firstMs),
      lastMs: Math.max(lastMs, known?.lastMs ?? lastMs),
    });
  }
  return [...byKey.values()];
}

/**
 * Which pods dcgm-exporter attributed each GPU to over a time range. Without
 * KUBERNETES_VIRTUAL_GPUS a time-sliced GPU is attributed to one pod at a time, so who held it
 * when (an attribution that switches from one pod to another) is the evidence of sharing.
 */
export async function readGpuAttribution(
  client: PrometheusClient | undefined,
  aliases: Record<string, string>,
  fromMs: number,
  to: Date,
) {
  const prometheus = requirePrometheus(client);
  const profile = await telemetryProfile(prometheus, to);
  const metric = ['DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_PROF_GR_ENGINE_ACTIVE'].find((name) =>
    profile.metrics.has(name),
  );
  if (!metric) return { attributions: [] as GpuAttribution[], profile, requests: [] as string[], raw: [] as string[] };
  const step = Math.max(30, Math.ceil((to.getTime() - fromMs) / 1000 / 400 / 15) * 15);
  const result = await prometheus.rangeQuery(
    `group by (${dcgmGrouping(profile)}) (${metric})`,
    new Date(fromMs),
    to,
    step,
  );
  const series = result.resultType === 'matrix' ? result.series : [];
  return {
    attributions: attributionsOf(series, aliases, profile),
    profile,
    requests: [result.request],
    raw: [result.raw],
  };
}

export function describeWorkload(entry: GpuSeries): string {
  const who = entry.pod ? `${entry.namespace ?? '?'}/${entry.pod}` : '(no pod)';
  const activity = entry.activity === null ? '' : ` busy ${Math.round(entry.activity)}%`;
  const memory =
    entry.fbUsedMiB === null
      ? ''
      : ` fb ${(entry.fbUsedMiB / 1024).toFixed(1)}GiB${entry.fbFreeMiB !== null ? `/${((entry.fbUsedMiB + entry.fbFreeMiB) / 1024).toFixed(0)}GiB` : ''}`;
  const mig = entry.migInstance !== null ? ` [MIG ${entry.migProfile ?? entry.migInstance}]` : '';
  return `${who}${mig}${activity}${memory}`;
}
