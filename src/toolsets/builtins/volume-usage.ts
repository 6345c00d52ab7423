import { parseDuration } from '../../core/duration.js';
import { HolmesError } from '../../core/errors.js';
import type { QueryResult } from '../../telemetry/prometheus-types.js';
import { podClaims } from '../diagnostics/pod-claims.js';
import { alertStartOf, requireKube, textParam, workloadPods } from '../diagnostics/kube-reads.js';
import { renderPromql } from '../render-promql.js';
import { telemetryProfile } from '../signals/telemetry-profile.js';
import { graphStep, toolGraph } from '../signals/tool-graph.js';
import { ListValue } from '../template-values.js';
import type { BuiltinTool } from '../tool-context.js';

const USED = 'kubelet_volume_stats_used_bytes';
const CAPACITY = 'kubelet_volume_stats_capacity_bytes';
const COLLECT =
  "Scrape the kubelet's /metrics (kube-prometheus-stack's kubelet ServiceMonitor does); the volume's CSI driver must report NodeGetVolumeStats.";

/**
 * `volume_usage`: how full the workload's PersistentVolumes got (kubelet_volume_stats used ÷
 * capacity): the peak over the window and the latest value. Kubelets stop reporting a volume
 * when no pod mounts it, so the peak keeps a volume that filled before its pod ended.
 */
export const volumeUsage: BuiltinTool = async (params, context) => {
  const kube = requireKube(context);
  const prometheus = context.prometheus;
  if (!prometheus)
    throw new HolmesError('UPSTREAM_UNAVAILABLE', 'No Prometheus is configured.', { fix: 'Set prometheus.url.' });
  const now = context.now();
  const namespace = textParam(params, 'namespace');
  const within = textParam(params, 'within') ?? '3h';
  parseDuration(within);
  const { ours, request } = await workloadPods(kube, params);
  const claims = [...new Set(ours.flatMap((pod) => podClaims(pod).map((entry) => entry.claim)))].sort();
  const empty = {
    claims,
    usage: [] as Array<{ claim: string; peak: number | null; last: number | null; capacityBytes: number | null }>,
  };
  const profile = await telemetryProfile(prometheus, now);
  if (!profile.metrics.has(USED) || !profile.metrics.has(CAPACITY))
    return {
      status: 'no_data',
      text: `Volume usage: not collected here (no ${USED}). ${COLLECT}`,
      data: empty,
      missing: { metrics: [USED, CAPACITY], fix: COLLECT },
      requests: [request],
      raw: [],
    };
  if (!namespace || claims.length === 0)
    return {
      status: 'no_data',
      text: 'The workload mounts no PersistentVolumeClaim.',
      data: empty,
      requests: [request],
      raw: [],
    };
  const view = { namespace, claims: new ListValue(claims), within };
  const ratio = `sum by (persistentvolumeclaim) (${USED}{namespace="{{namespace}}", persistentvolumeclaim=~"{{claims}}"}) / sum by (persistentvolumeclaim) (${CAPACITY}{namespace="{{namespace}}", persistentvolumeclaim=~"{{claims}}"})`;
  const [peak, last, capacity] = await Promise.all([
    prometheus.instantQuery(renderPromql(`max_over_time((${ratio})[{{within}}:1m])`, view), now),
    prometheus.instantQuery(renderPromql(ratio, view), now),
    prometheus.instantQuery(
      renderPromql(
        `max by (persistentvolumeclaim) (max_over_time(${CAPACITY}{namespace="{{namespace}}", persistentvolumeclaim=~"{{claims}}"}[{{within}}]))`,
        view,
      ),
      now,
    ),
  ]);
  const valueOf = (result: QueryResult, claim: string) => {
    const series = result.resultType === 'vector' ? result.series : [];
    const value = series.find((entry) => entry.labels.persistentvolumeclaim === claim)?.value[1];
    return value !== undefined && Number.isFinite(value) ? value : null;
  };
  const usage = claims.map((claim) => ({
    claim,
    peak: valueOf(peak, claim),
    last: valueOf(last, claim),
    capacityBytes: valueOf(capacity, claim),
  }));
  const reported = usage.filter((entry) => entry.peak !== null);
  const startMs = now.getTime() - parseDuration(within);
  // How each reported volume filled over the window: the series behind its peak.
  const graph =
    reported.length === 0
      ? undefined
      : toolGraph({
          title: `Fill of ${reported.map((entry) => entry.claim).join(', ')} (used ÷ capacity)`,
          unit: 'ratio',
          startMs,
          endMs: now.getTime(),
          stepSeconds: graphStep(startMs, now.getTime()),
          alertStartMs: alertStartOf(params, now),
          series: [{ query: renderPromql(ratio, view), legend: ['persistentvolumeclaim'], role: 'suspect' }],
        });
  return {
    status: reported.length === 0 ? 'no_data' : 'success',
    text:
      reported.length === 0
        ? `No kubelet volume stats for ${claims.join(', ')} in the last ${within}.`
        : usage
            .map(
              (entry) =>
                `${entry.claim}: peak ${entry.peak === null ? '—' : `${Math.round(entry.peak * 1000) / 10}%`} in the last ${within}, now ${entry.last === null ? 'not reported (unmounted?)' : `${Math.round(entry.last * 1000) / 10}%`}`,
            )
            .join('\n'),
    data: { claims, usage },
    ...(graph ? { graph } : {}),
    requests: [request, peak.request, last.request, capacity.request],
    raw: [peak.raw, last.raw, capacity.raw],
  };
};
