import { describe, expect, it } from 'vitest';
import type { InstantSeries, RangeSeries } from '../../../src/telemetry/prometheus-types.js';
import { BUILTINS } from '../../../src/toolsets/builtins/index.js';
import { signalChange, type SignalChangeData } from '../../../src/toolsets/builtins/signal-change.js';
import { BUILTIN_TOOLSETS_DIR, loadToolsets } from '../../../src/toolsets/load-toolsets.js';
import type { ToolContext } from '../../../src/toolsets/tool-context.js';
import type { SignalSpec } from '../../../src/toolsets/toolset-schema.js';
import { fakePrometheus } from '../fake-clients.js';

// The serving, gateway and fabric signals as shipped, one dialect of a real default install at a time.
const { toolsets } = await loadToolsets({
  directories: [BUILTIN_TOOLSETS_DIR],
  builtins: new Set(Object.keys(BUILTINS)),
});
const signals = new Map<string, SignalSpec>(toolsets.flatMap(({ spec }) => Object.entries(spec.signals)));

const NOW = new Date('2026-12-02T17:00:00Z');
const ALERT = new Date(NOW.getTime() - 20 * 60_000).toISOString();
const ONSET_S = NOW.getTime() / 1000 - 45 * 60;

function series(labels: Record<string, string>, before: number, after: number): RangeSeries {
  const values: Array<[number, number]> = [];
  for (let t = NOW.getTime() / 1000 - 180 * 60; t <= NOW.getTime() / 1000; t += 30)
    values.push([t, t < ONSET_S ? before : after]);
  return { labels, values };
}

function run(
  params: Record<string, unknown>,
  metricNames: string[],
  range: (query: string) => RangeSeries[],
  instant: (query: string) => InstantSeries[] = () => [],
) {
  const prometheus = fakePrometheus({ metricNames, range, instant });
  const context: ToolContext = {
    prometheus,
    kube: undefined,
    now: () => NOW,
    toolset: toolsets[0]!.spec,
    signals,
  };
  return { prometheus, result: signalChange({ alert_start: ALERT, ...params }, context) };
}

describe('signal_change dialects of serving, gateway and fabric signals', () => {
  it('reads a team named by its alias under its id at the gateway', async () => {
    const { prometheus, result } = run(
      { signal: 'client_prompt_size', team: 'knowledge-base' },
      ['litellm_proxy_total_requests_metric_total', 'litellm_input_tokens_metric_total'],
      (query) =>
        query.includes('team="2d7f"') ? [series({ api_key_alias: 'kb-answer', end_user: 'None' }, 4300, 27900)] : [],
      (query) =>
        query.startsWith('group by (team, team_alias)')
          ? [{ labels: { team: '2d7f', team_alias: 'knowledge-base' }, value: [0, 1] }]
          : [],
    );
    const data = (await result).data as SignalChangeData;
    expect(data.series[0]).toMatchObject({ subject: 'kb-answer', before: 4300, after: 27900 });
    expect(prometheus.queries.some((query) => query.includes('team="knowledge-base"'))).toBe(false);
  });

  it('skips the gateway dialect when the alert names no team and reads the workload vLLM servers instead', async () => {
    const { prometheus, result } = run(
      { signal: 'client_prompt_size', namespace: 'llm', pods: ['qwen-7d9f8-abcde'] },
      [
        'litellm_proxy_total_requests_metric_total',
        'litellm_input_tokens_metric_total',
        'vllm:prompt_tokens_total',
        'vllm:request_success_total',
      ],
      (query) =>
        query.includes('vllm:prompt_tokens_total')
          ? [series({ model_name: 'Qwen/Qwen2.5-32B-Instruct' }, 1800, 4700)]
          : [],
    );
    const data = (await result).data as SignalChangeData;
    expect(prometheus.queries.filter((query) => query.includes('rate(litellm'))).toEqual([]);
    expect(data.series[0]).toMatchObject({ subject: 'Qwen/Qwen2.5-32B-Instruct', before: 1800, after: 4700 });
  });

  it('says a gateway-only signal needs the team rather than calling it not collected', async () => {
    const { result } = run({ signal: 'client_requests' }, ['litellm_proxy_total_requests_metric_total'], () => []);
    const output = await result;
    expect(output.status).toBe('no_data');
    expect(output.missing).toBeUndefined();
    expect(output.text).toMatch(/needs an entity/);
  });

  it('reads inter-token latency of vLLM 0.10 and before under its old name', async () => {
    const { prometheus, result } = run(
      { signal: 'itl_p99', namespace: 'frontier', pods: ['llama-0'] },
      ['vllm:time_per_output_token_seconds_bucket'],
      () => [series({}, 0.03, 0.12)],
    );
    const output = await result;
    expect(prometheus.queries[0]).toContain('vllm:time_per_output_token_seconds_bucket');
    expect((output.data as SignalChangeData).ours).toMatchObject({ before: 0.03, after: 0.12, ratio: 4 });
  });

  it('names fabric ports by node through node_uname_info, and tells our nodes from the others', async () => {
    const { result } = run(
      { signal: 'ib_transmit_wait', nodes: ['hgx-ib-a01'], top_k: 5 },
      ['node_infiniband_port_transmit_wait_total', 'node_uname_info'],
      (query) =>
        query.includes('nodename')
          ? [series({ nodename: 'hgx-ib-a01' }, 20_000, 1_600_000), series({ nodename: 'hgx-ib-a05' }, 20_000, 21_000)]
          : [series({ instance: '10.210.8.11:9100' }, 20_000, 1_600_000)],
    );
    const data = (await result).data as SignalChangeData;
    expect(data.series.find((entry) => entry.ours)).toMatchObject({ subject: 'hgx-ib-a01', ratio: 80 });
    expect(data.series.find((entry) => !entry.ours)?.subject).toBe('hgx-ib-a05');
  });

  it('reports the swing of a series (its low since the change) beside its peak', async () => {
    const { result } = run(
      { signal: 'hpa_replicas_of_max', namespace: 'ads-genai' },
      ['kube_horizontalpodautoscaler_status_current_replicas', 'kube_horizontalpodautoscaler_spec_max_replicas'],
      () => [
        {
          labels: { namespace: 'ads-genai', horizontalpodautoscaler: 'creative-writer' },
          values: Array.from({ length: 360 }, (_, index): [number, number] => [
            NOW.getTime() / 1000 - (359 - index) * 30,
            index % 20 < 10 ? 0.375 : 0.75,
          ]),
        },
      ],
    );
    const data = (await result).data as SignalChangeData;
    expect(data.series[0]).toMatchObject({ subject: 'creative-writer', peak: 0.75, low: 0.375 });
  });
});
