import type { TelemetryProfile } from './telemetry-profile.js';

const tokenNames = {
  current: '…_tokens_metric_total (August 2025 on)',
  legacy: '…_tokens_total (before August 2025)',
  none: 'not found',
} as const;

/** What the telemetry profile found, in words an SRE reads in a report ("sources: …"). */
export function describeProfile(profile: TelemetryProfile): string[] {
  const lines: string[] = [];
  if (profile.dcgm.present) {
    const labels =
      profile.dcgm.workloadLabels === 'exported'
        ? 'workload labels as exported_namespace/exported_pod (gpu-operator ServiceMonitor, honorLabels false)'
        : profile.dcgm.workloadLabels === 'plain'
          ? 'workload labels as namespace/pod'
          : 'no pod attribution (DCGM_EXPORTER_KUBERNETES off, or no GPU pods)';
    lines.push(
      `dcgm-exporter: ${labels}; XID ${profile.dcgm.xidPerCode ? 'one series per err_code (≥ 3.3.6)' : 'as a value'}; clock-event reasons ${profile.dcgm.clockReasons ? 'collected' : 'not collected (throttling is judged from SM clocks)'}`,
    );
  } else lines.push('dcgm-exporter: not found');
  if (profile.litellm.present)
    lines.push(
      `LiteLLM: token counters ${tokenNames[profile.litellm.tokens]}; team names ${profile.litellm.teamAlias ? 'in team_alias' : 'not exported (team holds ids only)'}; end-user tracking ${profile.litellm.endUser ? 'on' : 'off (end_user unset: clients are API keys)'}`,
    );
  else lines.push('LiteLLM: not found');
  const vllm = [...profile.metrics].some((name) => name.startsWith('vllm:'));
  const latency = profile.vllm.interTokenLatency;
  lines.push(
    vllm
      ? `vLLM: ${latency === 'time_per_output_token' ? 'time_per_output_token_seconds (0.10 or older)' : latency === 'inter_token_latency' ? 'inter_token_latency_seconds (0.11+)' : 'no inter-token latency histogram'}; KV cache as ${profile.vllm.kvCache === 'gpu_cache_usage' ? 'gpu_cache_usage_perc (before 0.10)' : profile.vllm.kvCache === 'kv_cache_usage' ? 'kv_cache_usage_perc' : 'not reported'}`
      : 'vLLM: not found',
  );
  if (profile.fabric.infiniband)
    lines.push(
      `fabric: InfiniBand/RoCE port counters; RoCE congestion counters ${profile.fabric.roceCongestion ? 'found' : 'not found (node_exporter 1.11+ on mlx5, or an InfiniBand fabric)'}`,
    );
  return lines;
}
