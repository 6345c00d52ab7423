import { describe, expect, it } from 'vitest';
import type { InstantSeries } from '../../../src/telemetry/prometheus-types.js';
import { gatewayTeamId, telemetryProfile } from '../../../src/toolsets/signals/telemetry-profile.js';
import { fakePrometheus } from '../fake-clients.js';

const NOW = new Date('2026-12-02T17:00:00Z');

function profileOf(metricNames: string[], instant: (query: string) => InstantSeries[] = () => []) {
  return telemetryProfile(fakePrometheus({ metricNames, instant }), NOW);
}

describe('telemetryProfile', () => {
  it('reads LiteLLM current token names, its teams by id and alias, and end-user tracking off', async () => {
    const profile = await profileOf(
      ['litellm_proxy_total_requests_metric_total', 'litellm_total_tokens_metric_total', 'litellm_spend_metric_total'],
      (query) =>
        query.startsWith('group by (team, team_alias)')
          ? [
              { labels: { team: '2d7f4a91', team_alias: 'knowledge-base' }, value: [0, 1] },
              { labels: { team: 'None', team_alias: 'None' }, value: [0, 1] },
            ]
          : [],
    );
    expect(profile.litellm).toMatchObject({ present: true, tokens: 'current', teamAlias: true, endUser: false });
    expect(profile.litellm.teams).toEqual([{ id: '2d7f4a91', alias: 'knowledge-base' }]);
    expect(gatewayTeamId(profile, 'Knowledge_Base')).toBe('2d7f4a91');
    expect(gatewayTeamId(profile, '2d7f4a91')).toBe('2d7f4a91');
    // A team the gateway does not know is kept as the alert spelt it.
    expect(gatewayTeamId(profile, 'storefront')).toBe('storefront');
  });

  it('reads LiteLLM token names from before August 2025, and end users when tracking is on', async () => {
    const profile = await profileOf(
      ['litellm_proxy_total_requests_metric_total', 'litellm_total_tokens_total'],
      (query) => (query.startsWith('count(') ? [{ labels: {}, value: [0, 42] }] : []),
    );
    expect(profile.litellm.tokens).toBe('legacy');
    expect(profile.litellm.endUser).toBe(true);
  });

  it.each([
    [
      ['vllm:num_requests_running', 'vllm:inter_token_latency_seconds_bucket', 'vllm:kv_cache_usage_perc'],
      'inter_token_latency',
      'kv_cache_usage',
    ],
    [
      ['vllm:num_requests_running', 'vllm:time_per_output_token_seconds_bucket', 'vllm:gpu_cache_usage_perc'],
      'time_per_output_token',
      'gpu_cache_usage',
    ],
  ] as const)('tells vLLM versions apart by their metric names (%j)', async (names, latency, cache) => {
    const profile = await profileOf([...names]);
    expect(profile.vllm).toEqual({ present: true, interTokenLatency: latency, kvCache: cache });
  });

  it.each([
    [{ exported_pod: 'sandbox-0', pod: 'opencost-7d9f8c6b5d-vk2qx' }, 'exported'],
    [{ pod: 'sandbox-0' }, 'plain'],
  ] as const)("reads OpenCost's allocation labels as its scrape left them (%j)", async (labels, shape) => {
    const profile = await profileOf(['container_gpu_allocation'], (query) =>
      query === 'count by (exported_pod, pod) (container_gpu_allocation)' ? [{ labels, value: [0, 1] }] : [],
    );
    expect(profile.opencost.workloadLabels).toBe(shape);
    expect((await profileOf([])).opencost.workloadLabels).toBe('none');
  });

  it('tells an InfiniBand fabric from one with RoCE congestion counters', async () => {
    const infiniband = await profileOf(['node_infiniband_port_transmit_wait_total']);
    expect(infiniband.fabric).toEqual({ infiniband: true, roceCongestion: false });
    const roce = await profileOf([
      'node_infiniband_port_transmit_wait_total',
      'node_infiniband_np_ecn_marked_roce_packets_received_total',
    ]);
    expect(roce.fabric).toEqual({ infiniband: true, roceCongestion: true });
    const none = await profileOf(['up']);
    expect(none.fabric).toEqual({ infiniband: false, roceCongestion: false });
    expect(none.litellm).toMatchObject({ present: false, tokens: 'none', teams: [] });
  });
});
