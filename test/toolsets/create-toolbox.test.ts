import { escapePromqlString } from '../../src/toolsets/render-promql.js';
import { regexEscape } from '../../src/toolsets/template-values.js';
import { describe, expect, it } from 'vitest';
import type { InstantSeries } from '../../src/telemetry/prometheus-types.js';
import { createToolbox } from '../../src/toolsets/create-toolbox.js';
import { fakeKube, fakePrometheus } from './fake-clients.js';

const NOW = new Date('2026-01-10T12:00:00Z');
const AT = NOW.getTime() / 1000;
const DCGM = ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED'];

const sample = (labels: Record<string, string>, value: number): InstantSeries => ({ labels, value: [AT, value] });

describe('createToolbox', () => {
  it('returns status error naming the parameter and what is allowed when a parameter is invalid, without throwing', async () => {
    const toolbox = await createToolbox({ prometheus: fakePrometheus(), now: () => NOW });

    const tooSmall = await toolbox.run('prometheus_instant_query', { query: 'up', top_k: 0 });
    const unknown = await toolbox.run('prometheus_instant_query', { query: 'up', namespcae: 'llm' });
    const missing = await toolbox.run('prometheus_instant_query', {});

    expect(tooSmall).toMatchObject({
      status: 'error',
      toolset: 'prometheus/metrics',
      tool: 'prometheus_instant_query',
      requests: [],
      data: null,
    });
    expect(tooSmall.error).toMatch(
      /^Invalid parameters for prometheus_instant_query: top_k: .*>=\s*1.*Allowed: query \(promql, required\), top_k \(integer 1-100, default 10\)\.$/,
    );
    expect(unknown.error).toMatch(/Unrecognized key.*\(namespcae\).*Allowed: query/);
    expect(missing.error).toMatch(/query: .*Allowed: query \(promql, required\)/);
  });

  it('answers an unknown tool with the tools that exist', async () => {
    const toolbox = await createToolbox({ prometheus: fakePrometheus(), now: () => NOW });

    const result = await toolbox.run('prometheus_quary', {});

    expect(result.status).toBe('error');
    expect(result.error).toMatch(
      /Unknown tool 'prometheus_quary'\. Available: .*prometheus\/metrics\/prometheus_instant_query/,
    );
  });

  it('marks toolsets failed with the reason when their backend or metrics are missing, and refuses their tools', async () => {
    const toolbox = await createToolbox({ prometheus: fakePrometheus({ metricNames: ['up'] }), now: () => NOW });
    await toolbox.refresh();

    const status = (id: string) => toolbox.statuses.find((entry) => entry.id === id);
    expect(status('prometheus/metrics')?.status).toBe('enabled');
    expect(status('gpu/dcgm')).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('DCGM_FI_DEV_GPU_UTIL'),
    });
    expect(status('kubernetes/core')).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('no Kubernetes access is configured'),
    });
    expect(toolbox.tools().every((tool) => tool.toolset === 'prometheus/metrics')).toBe(true);
    const refused = await toolbox.run('gpu_health', {});
    expect(refused).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/^Toolset gpu\/dcgm is failed: none of these metrics exist/),
    });
  });

  it('refuses the tools of a toolset disabled in the config', async () => {
    const toolbox = await createToolbox({
      prometheus: fakePrometheus(),
      disabled: ['prometheus/metrics'],
      now: () => NOW,
    });

    expect(toolbox.statuses.find((entry) => entry.id === 'prometheus/metrics')?.status).toBe('disabled');
    expect((await toolbox.run('prometheus/metrics/prometheus_instant_query', { query: 'up' })).error).toMatch(
      /disabled in the config \(toolsets\.disabled\)/,
    );
  });

  it('turns an upstream failure into status error with the message, never a throw', async () => {
    const failing = fakePrometheus({
      instant: () => {
        throw new Error('connection reset by peer');
      },
    });
    const toolbox = await createToolbox({ prometheus: failing, now: () => NOW });

    const result = await toolbox.run('prometheus_instant_query', { query: 'up' });

    expect(result).toMatchObject({
      status: 'error',
      error: 'Tool prometheus_instant_query failed: connection reset by peer',
    });
  });

  it('stops a call that outlives its timeout and says how to raise it', async () => {
    const hanging = fakePrometheus({ instant: () => new Promise<InstantSeries[]>(() => undefined) });
    const toolbox = await createToolbox({ prometheus: hanging, timeoutMs: 20, now: () => NOW });

    const result = await toolbox.run('prometheus_instant_query', { query: 'up' });

    expect(result.status).toBe('error');
    expect(result.error).toMatch(/took longer than 20 ms\. .*toolsets\.timeoutMs/);
  });

  it('sends parameters escaped into the PromQL and decodes XID codes and clock-event masks in the text', async () => {
    const prometheus = fakePrometheus({
      metricNames: DCGM,
      instant: (query) => {
        if (query.includes('DCGM_EXP_XID_ERRORS_COUNT'))
          return [sample({ Hostname: 'gpu-node-1', gpu: '2', UUID: 'GPU-a', xid: '79' }, 1)];
        if (query.includes('CLOCKS_EVENT_REASONS'))
          return [sample({ hostname: 'gpu-node-1', gpu: '5', UUID: 'GPU-b' }, 0x4 | 0x40)];
        return [];
      },
    });
    const toolbox = await createToolbox({ prometheus, now: () => NOW });

    const result = await toolbox.run('gpu_health', { node: 'gpu-node-1"} or vector(1) #' });

    expect(result.status).toBe('success');
    // A label value inside a regex matcher matches only itself: regex-escaped, then escaped for the string.
    const matcher = `Hostname=~"${escapePromqlString(regexEscape('gpu-node-1"} or vector(1) #'))}|"`;
    expect(matcher).toBe('Hostname=~"gpu-node-1\\"\\\\} or vector\\\\(1\\\\) #|"');
    expect(prometheus.queries.every((query) => query.includes(matcher))).toBe(true);
    expect(result.text).toContain(
      'XID errors in the window: UUID=GPU-a gpu=2 node=gpu-node-1 xid=79: 1 errors (GPU has fallen off the bus',
    );
    expect(result.text).toContain(
      'Clock-event reasons now (bitmask): UUID=GPU-b gpu=5 node=gpu-node-1: 68 (software power cap, hardware thermal slowdown)',
    );
    expect(result.text).toMatch(/^No series for: Last XID reported in the window; Hottest GPUs/m);
    expect(result.data).toMatchObject({ xid_errors: [{ decoded: expect.stringContaining('fallen off the bus') }] });
    expect(result.requests).toHaveLength(6);
  });

  it('joins a breakdown into one line per group, recent beside baseline, grouped by the label asked for', async () => {
    const prometheus = fakePrometheus({
      metricNames: ['litellm_spend_metric_total'],
      instant: (query) => {
        const offset = query.includes('offset');
        if (query.includes('litellm_spend_metric_total'))
          return [sample({ model: 'gpt-4o' }, offset ? 1.13 : 34.9), sample({ model: 'mini' }, offset ? 0.2 : 0.3)];
        // Token counters in either LiteLLM dialect (…_metric_total since August 2025, …_total before).
        if (/^sum by \(model\) \(increase\(litellm_total_tokens(_metric)?_total/.test(query))
          return [sample({ model: 'gpt-4o' }, offset ? 1460 : 1990)];
        return [];
      },
    });
    const toolbox = await createToolbox({ prometheus, now: () => NOW });

    const result = await toolbox.run('llm_spend_breakdown', { by: 'model', team: 'care' });

    expect(prometheus.queries.every((query) => query.includes('sum by (model)') && query.includes('team="care"'))).toBe(
      true,
    );
    const lines = result.text.split('\n');
    expect(lines[0]).toBe(
      'model (2): Spend in the recent window | Spend in the baseline window | Tokens per request, recent | Tokens per request, baseline',
    );
    expect(lines[1]).toBe('  gpt-4o: $34.9 | $1.13 | 1.99k tokens | 1.46k tokens');
    expect(lines[2]).toBe('  mini: $0.3 | $0.2 | — | —');
    expect(lines[3]).toMatch(
      /^No series for: Requests in the recent window; Requests in the baseline window; Failed requests/,
    );
    expect(result.data).toMatchObject({
      spend_recent: [
        { labels: { model: 'gpt-4o' }, value: 34.9 },
        { labels: { model: 'mini' }, value: 0.3 },
      ],
    });
  });

  it('shows the top k series by value and says how many it left out and how to narrow', async () => {
    const series = Array.from({ length: 30 }, (_, index) => sample({ pod: `pod-${index}` }, index));
    const toolbox = await createToolbox({ prometheus: fakePrometheus({ instant: () => series }), now: () => NOW });

    const result = await toolbox.run('prometheus_instant_query', { query: 'x', top_k: '3' });

    expect(result.params).toEqual({ query: 'x', top_k: 3 });
    expect(result.text).toBe(
      'Result (30 series):\n  pod=pod-29: 29\n  pod=pod-28: 28\n  pod=pod-27: 27\n  … 27 more series not shown',
    );
    expect(result.omitted).toEqual({ what: '27 of 30 series of result', hint: expect.stringContaining('raise top_k') });
  });

  it('caps the text at maxOutputTokens and reports both the top-k cut and the cap', async () => {
    const series = Array.from({ length: 100 }, (_, index) =>
      sample({ pod: `a-rather-long-pod-name-${index}`, container: `container-${index}` }, index),
    );
    const toolbox = await createToolbox({
      prometheus: fakePrometheus({ instant: () => series }),
      maxOutputTokens: 120,
      now: () => NOW,
    });

    const result = await toolbox.run('prometheus_instant_query', { query: 'x', top_k: 50 });

    expect(result.text).toMatch(/… output cut at 120 tokens: \d+ more lines not shown$/);
    expect(result.omitted?.what).toMatch(
      /^50 of 100 series of result; then \d+ of 52 lines \(over the 120-token cap\)$/,
    );
  });

  it('keeps the raw upstream bodies only when asked, and always counts their bytes', async () => {
    const prometheus = fakePrometheus({ instant: () => [sample({ pod: 'a' }, 1)] });
    const plain = await (
      await createToolbox({ prometheus, now: () => NOW })
    ).run('prometheus_instant_query', { query: 'x' });
    const kept = await (
      await createToolbox({ prometheus, keepRaw: true, now: () => NOW })
    ).run('prometheus_instant_query', { query: 'x' });

    expect(plain.raw).toBeUndefined();
    expect(kept.raw).toEqual([JSON.stringify([sample({ pod: 'a' }, 1)])]);
    expect(kept.rawBytes).toBe(Buffer.byteLength(kept.raw![0]!));
    expect(plain.rawBytes).toBe(kept.rawBytes);
  });

  it('runs a Kubernetes tool by toolset-qualified name with the verb it declares', async () => {
    const kube = fakeKube({ logs: { 'llm/chat-api-1/vllm': '2026-01-10T11:59:00Z ready\n' } });
    const toolbox = await createToolbox({ kube, now: () => NOW });

    const result = await toolbox.run('kubernetes/core/pod_logs', {
      namespace: 'llm',
      pod: 'chat-api-1',
      container: 'vllm',
      tail_lines: '50',
    });

    expect(result).toMatchObject({ status: 'success', toolset: 'kubernetes/core', tool: 'pod_logs' });
    expect(kube.logRequests).toEqual([{ namespace: 'llm', pod: 'chat-api-1', container: 'vllm', tailLines: 50 }]);
  });

  it('uses Prometheus again once it answers, when it was down as the toolbox was built', async () => {
    let up = false;
    const prometheus = {
      ...fakePrometheus({ metricNames: ['up'] }),
      buildInfo: async () => {
        if (!up) throw new Error('connect ECONNREFUSED 127.0.0.1:9090');
        return { buildInfo: { version: '2.42.0' }, request: '/api/v1/status/buildinfo', raw: '{}', warnings: [] };
      },
    };
    let clock = 0;
    const toolbox = await createToolbox({
      prometheus,
      now: () => NOW,
      probe: { now: () => clock, failingForMs: 1_000 },
    });

    const down = await toolbox.run('prometheus_instant_query', { query: 'up' });
    expect(down).toMatchObject({ status: 'error', unreachable: true, error: expect.stringContaining('ECONNREFUSED') });
    up = true;
    // The failure is reused while it is fresh…
    expect((await toolbox.run('prometheus_instant_query', { query: 'up' })).status).toBe('error');
    clock += 1_001;
    // …and asked again once it is stale.
    expect((await toolbox.run('prometheus_instant_query', { query: 'up' })).status).not.toBe('error');
    expect(toolbox.statuses.find((entry) => entry.id === 'prometheus/metrics')).toMatchObject({ status: 'enabled' });
    expect(toolbox.statuses.find((entry) => entry.id === 'prometheus/metrics')?.reason).toBeUndefined();
  });

  it('is built at once and fails a tool call after the probe timeout when Prometheus accepts and never answers', async () => {
    const prometheus = { ...fakePrometheus(), buildInfo: () => new Promise<never>(() => undefined) };
    const toolbox = await createToolbox({ prometheus, now: () => NOW, probe: { probeTimeoutMs: 30 } });

    const result = await toolbox.run('prometheus_instant_query', { query: 'up' });

    expect(result).toMatchObject({ status: 'error', unreachable: true });
    expect(result.error).toContain('did not answer within 30 ms');
  });
});
