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
  opencost: {
    /** `exported`: scraped without honorLabels (OpenCost's docs ask for it), its workload labels are exported_*. */
    workloadLabels: 'plain' | 'exported' | 'none';
  };
  litellm: {
    present: boolean;
    /** Token counters: `…_tokens_metric_total` (August 2025 on), `…_tokens_total` before, or none. */
    tokens: 'current' | 'legacy' | 'none';
    /** The team's display name is on the series (`team` itself holds the id). */
    teamAlias: boolean;
    /** The gateway's teams: `team` (id) with its `team_alias` (name), so either spelling finds the team. */
    teams: Array<{ id: string; alias: string | undefined }>;
    /** End-user tracking is on: `end_user` holds values other than empty or `None`. */
    endUser: boolean;
  };
  vllm: {
    present: boolean;
    /** Inter-token latency histogram: `inter_token_latency_seconds` (0.11+) or `time_per_output_token_seconds` (≤ 0.10). */
    interTokenLatency: 'inter_token_latency' | 'time_per_output_token' | 'none';
    /** KV-cache gauge: `kv_cache_usage_perc` (0.10+) or `gpu_cache_usage_perc` (before, removed in 0.12). */
    kvCache: 'kv_cache_usage' | 'gpu_cache_usage' | 'none';
  };
  fabric: {
    /** node_exporter's infiniband collector reports ports. */
    infiniband: boolean;
    /** RoCE congestion counters (ECN marks, CNPs) of mlx5 devices: node_exporter 1.11+. */
    roceCongestion: boolean;
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
/** The labels that name the workload on OpenCost's allocation series in this cluster. */
export function opencostWorkloadLabels(profile: TelemetryProfile): {
  namespace: string;
  pod: string;
  container: string;
} {
  return profile.opencost.workloadLabels === 'exported'
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
  const [dcgmShapes, costShapes, xidShapes, gatewayTeams, endUsers] = await Promise.all([
    dcgmMetric ? labelsOf(prometheus, `count by (exported_pod, pod) (${dcgmMetric})`, now) : [],
    metrics.has('container_gpu_allocation')
      ? labelsOf(prometheus, 'count by (exported_pod, pod) (container_gpu_allocation)', now)
      : [],
    metrics.has('DCGM_FI_DEV_XID_ERRORS')
      ? labelsOf(prometheus, 'count by (err_code) (DCGM_FI_DEV_XID_ERRORS)', now)
      : [],
    gateway ? labelsOf(prometheus, `group by (team, team_alias) (${gateway})`, now) : [],
    // A count, not the end users themselves: with tracking on there can be thousands.
    gateway ? labelsOf(prometheus, `count(${gateway}{end_user!="", end_user!="None"}) > 0`, now) : [],
  ]);
  const shapeOf = (shapes: Array<Record<string, string>>) =>
    shapes.some((labels) => labels.exported_pod) ? 'exported' : shapes.some((labels) => labels.pod) ? 'plain' : 'none';
  const set = (value: string | undefined): value is string => Boolean(value) && value !== 'None';
  const first = <T extends string>(choices: Array<[string, T]>, none: T): T =>
    choices.find(([metric]) => metrics.has(metric))?.[1] ?? none;
  return {
    metrics,
    dcgm: {
      present: Boolean(dcgmMetric),
      workloadLabels: shapeOf(dcgmShapes),
      xidPerCode: xidShapes.some((labels) => labels.err_code !== undefined),
      clockReasons: CLOCK_REASONS.find((name) => metrics.has(name)) ?? null,
    },
    opencost: { workloadLabels: shapeOf(costShapes) },
    litellm: {
      present: Boolean(gateway),
      tokens: first(
        [
          ['litellm_total_tokens_metric_total', 'current'],
          ['litellm_total_tokens_total', 'legacy'],
        ],
        'none',
      ),
      teamAlias: gatewayTeams.some((labels) => set(labels.team_alias)),
      teams: gatewayTeams
        .filter((labels) => set(labels.team))
        .map((labels) => ({ id: labels.team!, alias: set(labels.team_alias) ? labels.team_alias : undefined })),
      endUser: endUsers.length > 0,
    },
    vllm: {
      present: metrics.has('vllm:num_requests_running') || metrics.has('vllm:num_requests_waiting'),
      interTokenLatency: first(
        [
          ['vllm:inter_token_latency_seconds_bucket', 'inter_token_latency'],
          ['vllm:time_per_output_token_seconds_bucket', 'time_per_output_token'],
        ],
        'none',
      ),
      kvCache: first(
        [
          ['vllm:kv_cache_usage_perc', 'kv_cache_usage'],
          ['vllm:gpu_cache_usage_perc', 'gpu_cache_usage'],
        ],
        'none',
      ),
    },
    fabric: {
      infiniband: metrics.has('node_infiniband_port_transmit_wait_total'),
      roceCongestion:
        metrics.has('node_infiniband_np_ecn_marked_roce_packets_received_total') ||
        metrics.has('node_infiniband_np_cnp_packets_sent_total'),
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

/** `Customer_Care`, `customer-care` and `customer care` name the same team. */
const spelling = (value: string) => value.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The gateway's id of a team named either way round: by its id (`team`) or by its alias
 * (`team_alias`, what alerts and people use). A name the gateway does not know is kept as given.
 */
export function gatewayTeamId(profile: TelemetryProfile, team: string): string {
  const teams = profile.litellm.teams;
  if (teams.some((entry) => entry.id === team)) return team;
  const wanted = spelling(team);
  const matches = teams.filter((entry) => entry.alias !== undefined && spelling(entry.alias) === wanted);
  return matches.length === 1 ? matches[0]!.id : team;
}
