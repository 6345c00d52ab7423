import { afterEach, describe, expect, it } from 'vitest';
import { describeGraphFailure, renderResultGraphs } from '../../src/graphs/render-result-graphs.js';
import { createPrometheusClient } from '../../src/telemetry/prometheus-client.js';
import type { RecordingServer } from '../telemetry/recording-server.js';
import { samples, startFakePrometheus } from './fake-prometheus.js';
import { specFor, STEP } from './graph-fixtures.js';
import { decodePng } from './png-pixels.js';

const START = Date.parse('2025-03-10T11:00:00Z') / 1000;
let server: RecordingServer;

afterEach(() => server?.close());

async function prometheus() {
  server = await startFakePrometheus(
    { good: [{ metric: { pod: 'a' }, values: samples(START, STEP, 241, (i) => i) }] },
    { fail: ['down'] },
  );
  return createPrometheusClient({ url: server.url, timeoutMs: 5_000 });
}

const good = (title: string) => specFor({ title, series: [{ query: 'good', legend: ['pod'] }] });

describe('renderResultGraphs', () => {
  it('renders the graphs that can be drawn and returns the others as failures, in order', async () => {
    const result = {
      graphs: [
        good('first'),
        specFor({ title: 'second', series: [{ query: 'down', legend: ['pod'] }] }),
        { title: 'third', unit: 'furlongs' },
        good('fourth'),
      ],
    };
    const { graphs, failures } = await renderResultGraphs(result, await prometheus());
    expect(graphs.map((graph) => [graph.index, graph.title])).toEqual([
      [1, 'first'],
      [4, 'fourth'],
    ]);
    expect(decodePng(graphs[0]!.png).width).toBe(800);
    expect(failures.map((failure) => [failure.index, failure.title, failure.code])).toEqual([
      [2, 'second', 'UPSTREAM_UNAVAILABLE'],
      [3, 'third', 'GRAPH_INVALID'],
    ]);
    expect(describeGraphFailure(failures[0]!)).toMatch(/^graph 2 'second' was not rendered: Prometheus at .* HTTP 503/);
  });

  it('draws at most four graphs, or the first `limit`', async () => {
    const client = await prometheus();
    const result = { graphs: ['1', '2', '3', '4', '5'].map(good) };
    expect((await renderResultGraphs(result, client)).graphs.map((graph) => graph.title)).toEqual(['1', '2', '3', '4']);
    expect((await renderResultGraphs(result, client, { limit: 1 })).graphs.map((graph) => graph.title)).toEqual(['1']);
  });

  it("uses the deterministic investigation's graphs for an agent result that has none of its own", async () => {
    const { graphs } = await renderResultGraphs(
      { graphs: [], llm: { deterministic: { graphs: [good('inherited')] } } },
      await prometheus(),
    );
    expect(graphs.map((graph) => graph.title)).toEqual(['inherited']);
  });

  it('fails every graph with the fix when no Prometheus is configured', async () => {
    const { graphs, failures } = await renderResultGraphs({ graphs: [good('a')] }, undefined);
    expect(graphs).toEqual([]);
    expect(failures).toEqual([
      { index: 1, title: 'a', code: 'CONFIG_INVALID', message: 'no Prometheus is configured to read the series from.' },
    ]);
  });

  it('returns nothing for a result without graphs', async () => {
    expect(await renderResultGraphs({}, undefined)).toEqual({ graphs: [], failures: [] });
  });
});
