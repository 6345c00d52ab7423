import { HolmesError } from '../../core/errors.js';
import type { PrometheusClient } from '../../telemetry/prometheus-types.js';
import { applyLabelAliases } from '../apply-label-aliases.js';

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

const GROUP = 'Hostname, hostname, gpu, UUID, modelName, GPU_I_ID, GPU_I_PROFILE, namespace, pod';

function key(labels: Record<string, string>): string {
  return [
    labels.UUID ?? `${labels.node}/${labels.gpu}`,
    labels.GPU_I_ID ?? '',
    labels.namespace ?? '',
    labels.pod ?? '',
  ].join('|');
}

/**
 * Reads the GPUs dcgm-exporter reports, once per metric, and joins them by GPU and workload.
 * Exporter label spellings (`Hostname`/`hostname`) are both accepted.
 */
export async function readGpuWorkloads(
  prometheus: PrometheusClient | undefined,
  aliases: Record<string, string>,
  at: Date,
) {
  if (!prometheus)
    throw new HolmesError('UPSTREAM_UNAVAILABLE', 'No Prometheus is configured.', { fix: 'Set prometheus.url.' });
  const queries = {
    engine: `max by (${GROUP}) (DCGM_FI_PROF_GR_ENGINE_ACTIVE)`,
    util: `max by (${GROUP}) (DCGM_FI_DEV_GPU_UTIL)`,
    used: `max by (${GROUP}) (DCGM_FI_DEV_FB_USED)`,
    free: `max by (${GROUP}) (DCGM_FI_DEV_FB_FREE)`,
  };
  const entries = Object.entries(queries);
  const results = await Promise.all(entries.map(([, query]) => prometheus.instantQuery(query, at)));
  const byKey = new Map<string, GpuSeries>();
  results.forEach((result, index) => {
    if (result.resultType !== 'vector') return;
    const metric = entries[index]![0];
    for (const sample of result.series) {
      const labels = applyLabelAliases(sample.labels, aliases);
      const id = key(labels);
      const entry =
        byKey.get(id) ??
        ({
          gpuKey: labels.UUID ?? `${labels.node ?? '?'}/${labels.gpu ?? '?'}`,
          node: labels.node ?? '?',
          gpu: labels.gpu ?? '?',
          model: labels.modelName ?? '',
          migInstance: labels.GPU_I_ID ?? null,
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
    requests: results.map((result) => result.request),
    raw: results.map((result) => result.raw),
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
