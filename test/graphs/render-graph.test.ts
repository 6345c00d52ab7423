import { afterEach, describe, expect, it } from 'vitest';
import { HolmesError } from '../../src/core/errors.js';
import { GRAPH_THEMES } from '../../src/graphs/graph-theme.js';
import { renderGraph } from '../../src/graphs/render-graph.js';
import { createPrometheusClient } from '../../src/telemetry/prometheus-client.js';
import type { RecordingServer } from '../telemetry/recording-server.js';
import { samples, startFakePrometheus, type MatrixSeries } from './fake-prometheus.js';
import { specFor, STEP } from './graph-fixtures.js';
import { colorCounts, decodePng, plotArea, seriesColors } from './png-pixels.js';
import { svgElements, textsOf } from './svg-elements.js';

const START = Date.parse('2025-03-10T11:00:00Z') / 1000;
const palette = GRAPH_THEMES.light.palette;
let server: RecordingServer | undefined;

async function prometheusWith(answers: Record<string, MatrixSeries[]>, fail: string[] = []) {
  server = await startFakePrometheus(answers, { fail });
  return createPrometheusClient({ url: server.url, timeoutMs: 5_000 });
}

const pod = (name: string, value: (index: number) => string | number | null): MatrixSeries => ({
  metric: { pod: name, namespace: 'llm' },
  values: samples(START, STEP, 241, value),
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('renderGraph', () => {
  it('renders an 800×400 PNG whose plot is drawn in one colour per series', async () => {
    const prometheus = await prometheusWith({
      latency: [
        pod('chat-api-a', (i) => 0.4 + (i > 120 ? 2 : 0)),
        pod('chat-api-b', (i) => 0.5 + Math.sin(i / 9) * 0.1),
      ],
      gpu: [pod('embed-batch-x', (i) => (i > 118 ? 95 : 5))],
    });
    const graph = await renderGraph(
      specFor({
        rightUnit: 'percent',
        series: [
          { query: 'latency', legend: ['pod'], role: 'victim' },
          { query: 'gpu', legend: 'GPU util', axis: 'right', role: 'suspect' },
        ],
      }),
      prometheus,
    );
    const png = decodePng(graph.png);
    expect([png.width, png.height]).toEqual([800, 400]);
    expect(colorCounts(png, plotArea(graph.layout)).size).toBeGreaterThan(10);
    expect(graph.shown).toBe(3);
    expect(seriesColors(png, palette)).toEqual(palette.slice(0, 3));
    expect(graph.requests).toHaveLength(2);
    expect(graph.requests[0]).toMatch(/^\/api\/v1\/query_range\?query=latency&start=\d+&end=\d+&step=15$/);
    expect(textsOf(svgElements(graph.svg))).toEqual(
      expect.arrayContaining(['chat-api-a', 'chat-api-b', 'GPU util (right)']),
    );
  });

  it('draws series with gaps, a single point, NaN and ±Inf, and a query with no series, without throwing', async () => {
    const prometheus = await prometheusWith({
      gaps: [pod('gappy', (i) => (i % 40 < 20 ? 1 + (i % 7) / 10 : null))],
      single: [pod('lonely', (i) => (i === 100 ? 1.5 : null))],
      odd: [pod('odd', (i) => (i % 30 === 0 ? 'NaN' : i % 30 === 10 ? '+Inf' : i % 30 === 20 ? '-Inf' : 0.8))],
      nothing: [],
    });
    const graph = await renderGraph(
      specFor({
        series: ['gaps', 'single', 'odd', 'nothing'].map((query) => ({ query, legend: ['pod'] })),
      }),
      prometheus,
    );
    const png = decodePng(graph.png);
    expect([png.width, png.height]).toEqual([800, 400]);
    expect(graph.shown).toBe(3);
    expect(seriesColors(png, palette)).toEqual(palette.slice(0, 3));
    // The lone sample is a dot in its own colour inside the plot, not an invisible zero-length line.
    expect(colorCounts(png, plotArea(graph.layout)).get(palette[1]!) ?? 0).toBeGreaterThanOrEqual(9);
    expect(textsOf(svgElements(graph.svg))).toEqual(expect.arrayContaining(['gappy', 'lonely', 'odd']));
  });

  it('renders a graph that says "No data" when every query returns nothing', async () => {
    const prometheus = await prometheusWith({});
    const graph = await renderGraph(specFor(), prometheus);
    expect(graph.shown).toBe(0);
    expect(seriesColors(decodePng(graph.png), palette)).toEqual([]);
    expect(textsOf(svgElements(graph.svg))).toContain('No data: the queries returned no series in this range');
  });

  it('shows at most maxSeries lines and counts the rest as "and N more"', async () => {
    const pods = Array.from({ length: 9 }, (_, index) => pod(`vllm-${index}`, (i) => index + Math.sin(i / 5)));
    const prometheus = await prometheusWith({ pods });
    const graph = await renderGraph(
      specFor({ maxSeries: 4, series: [{ query: 'pods', legend: ['pod'] }] }),
      prometheus,
    );
    expect([graph.shown, graph.hidden]).toEqual([4, 5]);
    const texts = textsOf(svgElements(graph.svg));
    // The highest four are shown.
    expect(texts).toEqual(expect.arrayContaining(['vllm-8', 'vllm-7', 'vllm-6', 'vllm-5', 'and 5 more']));
    expect(texts).not.toContain('vllm-0');
    expect(seriesColors(decodePng(graph.png), palette)).toEqual(palette.slice(0, 4));
  });

  it('refuses an invalid spec before querying anything', async () => {
    const prometheus = await prometheusWith({});
    const error = await renderGraph({ ...specFor(), stepSeconds: -1 }, prometheus).catch((caught: unknown) => caught);
    expect(HolmesError.isInstance(error) && error.code).toBe('GRAPH_INVALID');
    expect((error as HolmesError).issues[0]?.path).toBe('stepSeconds');
    expect(server!.requests).toHaveLength(0);
  });

  it('fails with the upstream error when Prometheus does not answer the query', async () => {
    const prometheus = await prometheusWith({}, ['up']);
    const error = await renderGraph(specFor(), prometheus).catch((caught: unknown) => caught);
    expect(HolmesError.isInstance(error) && error.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});
