import { describe, expect, it } from 'vitest';
import { graphSpecSchema } from '../../src/core/graph-spec.js';
import { signalGraph } from '../../src/toolsets/signals/signal-graph.js';
import { signalSchema } from '../../src/toolsets/toolset-schema.js';

const spec = signalSchema.parse({
  title: 'KV-cache usage',
  unit: 'ratio',
  subject: 'pod',
  queries: ['max by (namespace, pod) (vllm:kv_cache_usage_perc{ {{{scope}}} })'],
});

describe('signalGraph', () => {
  it("draws the query that answered over its range, with the alert's start, the onset and pods in the legend", () => {
    const graph = signalGraph({
      spec,
      query: 'max by (namespace, pod) (vllm:kv_cache_usage_perc{namespace="a"})',
      labels: { namespace: 'a', pod: 'chat-1' },
      startMs: Date.parse('2026-12-02T08:00:00Z'),
      endMs: Date.parse('2026-12-02T11:15:00Z'),
      stepSeconds: 30,
      alertStartMs: Date.parse('2026-12-02T11:00:00Z'),
      onset: '2026-12-02T10:40:00.000Z',
    });
    expect(graphSpecSchema.safeParse(graph).success).toBe(true);
    expect(graph).toMatchObject({
      unit: 'ratio',
      alertStart: '2026-12-02T11:00:00.000Z',
      onset: '2026-12-02T10:40:00.000Z',
      series: [{ legend: ['pod'] }],
    });
  });

  it('names the exporter-side label when DCGM arrives with exported_* labels, and counts units with no axis', () => {
    const graph = signalGraph({
      spec: { ...spec, unit: 'tokens' },
      query: 'x',
      labels: { exported_pod: 'chat-1' },
      startMs: 0,
      endMs: 3_600_000,
      stepSeconds: 60,
      alertStartMs: 1_800_000,
      onset: null,
    });
    expect(graph!.series[0]!.legend).toEqual(['exported_pod']);
    expect(graph!.unit).toBe('count');
    expect(graph!.onset).toBeUndefined();
    expect(graphSpecSchema.safeParse(graph).success).toBe(true);
  });
});
