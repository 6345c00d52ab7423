import type { PrometheusClient } from '../../telemetry/prometheus-types.js';

/**
 * What this cluster's exporters look like, found from the data: which metrics exist (so a tool
 * picks the names this exporter version uses), and the shapes default installs give them.
 */
export interface TelemetryProfile {
  /** Metric names with samples in the last hours. */
  metrics: ReadonlySet<string>;
  dcgm: {
    present: boolean;
    /** `exported`: scraped by the gpu-operator's ServiceMonitor (honorLabels false), workload labels are exported_*. */
    workloadLabels: 'plain' | 'exported' | 'none';
    /** XID series carry `err_code` (exporter ≥ 3.3.6): each XID value is a series of its own. */
    xidPerCode: boolean;
    /** Clock-event reasons (a bitmask, off by default) under the name this exporter uses, or null. */
    clockReasons: string | null;
  };
  litellm: {
    present: boolean;
    /** The team's display name is on the series (`team` itself holds the id). */
    teamAlias: boolean;
    /** End-user tracking is on: `end_user` holds values other than empty or `None`. */
    endUser: boolean;
  };
  /** When the profile was read (ms). */
  readAtMs: number;
}

const TTL_MS = 5 * 60_000;
/** The clock-event bitmask: renamed from THROTTLE to EVENT in DCGM 3.3; both are off in the default CSVs. */
const CLOCK_REASONS = ['DCGM_FI_DEV_CLOCKS_EVENT_REASONS', 'DCGM_FI_DEV_CLOCK_THROTTLE_REASONS'];

/** The labels that name the workload on DCGM series in this cluster (exported_* behind the gpu-operator's ServiceMonitor). */
export function dcgmWorkloadLabels(profile: TelemetryProfile): { namespace: string; pod: string; container: string } {
  return profile.dcgm.workloadLabels === 'exported'
    ? { namespace: 'exported_namespace', pod: 'exported_pod', container: 'exported_container' }
    : { namespace: 'namespace', pod: 'pod', container: 'container' };
}
const LOOK_BACK_MS = 6 * 60 * 60_000;
const cache = new WeakMap<PrometheusClient, { atMs: number; profile: Promise<TelemetryProfile> }>();

async function labelsOf(prometheus: PrometheusClient, query: string, at: Date): Promise<Array<Record<string, string>>> {
  const result = await prometheus.instantQuery(query, at);
  return result.resultType === 'vector' ? result.series.map((series) => series.labels) : [];
}

async function readProfile(prometheus: PrometheusClient, now: Date): Promise<TelemetryProfile> {
  const names = await prometheus.labelValues('__name__', undefined, {
    start: new Date(now.getTime() - LOOK_BACK_MS),
    end: now,
  });
  const metrics = new Set(names.values);
  const dcgmMetric = ['DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_PROF_GR_ENGINE_ACTIVE'].find((name) =>
    metrics.has(name),
  );
  const gateway = ['litellm_proxy_total_requests_metric_total', 'litellm_spend_metric_total'].find((name) =>
    metrics.has(name),
  );
  const [dcgmShapes, xidShapes, gatewayShapes] = await Promise.all([
    dcgmMetric ? labelsOf(prometheus, `count by (exported_pod, pod) (${dcgmMetric})`, now) : [],
    metrics.has('DCGM_FI_DEV_XID_ERRORS')
      ? labelsOf(prometheus, 'count by (err_code) (DCGM_FI_DEV_XID_ERRORS)', now)
      : [],
    gateway ? labelsOf(prometheus, `count by (team_alias, end_user) (${gateway})`, now) : [],
  ]);
  const set = (value: string | undefined) => Boolean(value) && value !== 'None';
  return {
    metrics,
    dcgm: {
      present: Boolean(dcgmMetric),
      workloadLabels: dcgmShapes.some((labels) => labels.exported_pod)
        ? 'exported'
        : dcgmShapes.some((labels) => labels.pod)
          ? 'plain'
          : 'none',
      xidPerCode: xidShapes.some((labels) => labels.err_code !== undefined),
      clockReasons: CLOCK_REASONS.find((name) => metrics.has(name)) ?? null,
    },
    litellm: {
      present: Boolean(gateway),
      teamAlias: gatewayShapes.some((labels) => set(labels.team_alias)),
      endUser: gatewayShapes.some((labels) => set(labels.end_user)),
    },
    readAtMs: now.getTime(),
  };
}

/** The profile of a Prometheus, read once and kept for a few minutes (a failed read is not kept). */
export function telemetryProfile(prometheus: PrometheusClient, now: Date = new Date()): Promise<TelemetryProfile> {
  const cached = cache.get(prometheus);
  if (cached && now.getTime() - cached.atMs < TTL_MS && now.getTime() >= cached.atMs) return cached.profile;
  const profile = readProfile(prometheus, now);
  cache.set(prometheus, { atMs: now.getTime(), profile });
  profile.catch(() => cache.delete(prometheus));
  return profile;
}
