import type { TelemetryProfile } from './telemetry-profile.js';

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
      `dcgm-exporter: ${labels}; XID ${profile.dcgm.xidPerCode ? 'one series per err_code (≥ 3.3.6)' : 'as a value'}`,
    );
  } else lines.push('dcgm-exporter: not found');
  if (profile.litellm.present)
    lines.push(
      `LiteLLM: team names ${profile.litellm.teamAlias ? 'in team_alias' : 'not exported (team holds ids only)'}; end-user tracking ${profile.litellm.endUser ? 'on' : 'off'}`,
    );
  else lines.push('LiteLLM: not found');
  const vllm = [...profile.metrics].some((name) => name.startsWith('vllm:'));
  lines.push(`vLLM: ${vllm ? 'found' : 'not found'}`);
  return lines;
}
