import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { graphSpecSchema, MAX_GRAPHS, type GraphSpec } from '../../src/core/graph-spec.js';
import { GRAPH_THEMES } from '../../src/graphs/graph-theme.js';
import { renderResultGraphs } from '../../src/graphs/render-result-graphs.js';
import { createInvestigator } from '../../src/investigator/create-investigator.js';
import { configForLab } from '../../src/lab/config-for-lab.js';
import { loadScenario } from '../../src/lab/load-scenario.js';
import type { Scenario } from '../../src/lab/scenario.js';
import { startLab } from '../../src/lab/start-lab.js';
import { createPrometheusClient } from '../../src/telemetry/prometheus-client.js';
import type { PrometheusClient } from '../../src/telemetry/prometheus-types.js';
import { alertExpression, alertSignal } from '../../src/toolsets/signals/alert-signal.js';
import { colorCounts, decodePng, plotArea, seriesColors } from './png-pixels.js';
import { svgElements, textsOf } from './svg-elements.js';

const SCENARIOS = fileURLToPath(new URL('../../evals/scenarios/', import.meta.url));
const palette = GRAPH_THEMES.light.palette;

/** The scenario's whole history, ending at its `now`, with the alert's start and an onset ten minutes before it. */
function rangeOf(scenario: Scenario): Pick<GraphSpec, 'start' | 'end' | 'stepSeconds' | 'alertStart' | 'onset'> {
  const samples = Math.max(...scenario.series.map((series) => series.values.length));
  const end = scenario.now.getTime();
  const alertStart = Date.parse(scenario.alert.startsAt);
  return {
    start: new Date(end - (samples - 1) * scenario.intervalMs).toISOString(),
    end: new Date(end).toISOString(),
    stepSeconds: scenario.intervalMs / 1000,
    alertStart: scenario.alert.startsAt,
    onset: new Date(alertStart - 10 * 60_000).toISOString(),
  };
}

// Hand-made specs over each scenario's real series (metric and label names as in its scenario.yaml):
// inputs for the renderer, not the product's choice of graphs.
const CASES: Array<{ id: string; specs: (scenario: Scenario) => GraphSpec[] }> = [
  {
    id: 'chat-api-p99-shared-gpu',
    specs: (scenario) => [
      {
        title: "chat-api p99 TTFT vs activity on its pod's GPU",
        unit: 's',
        rightUnit: 'percent',
        ...rangeOf(scenario),
        threshold: { value: 2, label: 'alert at' },
        series: [
          {
            query:
              'histogram_quantile(0.99, sum by (le, pod) (rate(vllm:time_to_first_token_seconds_bucket{namespace="llm",service="chat-api"}[5m])))',
            legend: ['pod'],
            role: 'victim',
          },
          {
            query: 'DCGM_FI_DEV_GPU_UTIL{Hostname="gpu-a100-07",gpu="3"}',
            legend: 'GPU util',
            axis: 'right',
            role: 'suspect',
          },
        ],
      },
    ],
  },
  {
    id: 'whisper-throughput-drop',
    specs: (scenario) => [
      {
        title: 'SM clock vs temperature, gpu-l40s-03',
        unit: 'mhz',
        rightUnit: 'celsius',
        ...rangeOf(scenario),
        series: [
          { query: 'DCGM_FI_DEV_SM_CLOCK{hostname="gpu-l40s-03"}', legend: ['gpu'], role: 'victim' },
          { query: 'DCGM_FI_DEV_GPU_TEMP{hostname="gpu-l40s-03"}', legend: 'temp', axis: 'right', role: 'suspect' },
        ],
      },
    ],
  },
  {
    id: 'llm-spend-spike-agent-loop',
    specs: (scenario) => [
      {
        title: 'customer-care requests per key vs the team spend',
        unit: 'requests_per_second',
        rightUnit: 'usd_per_hour',
        ...rangeOf(scenario),
        maxSeries: 2,
        series: [
          {
            query: 'sum by (team) (rate(litellm_spend_metric_total{team="customer-care"}[10m])) * 3600',
            legend: 'spend',
            axis: 'right',
            role: 'victim',
          },
          {
            query: 'sum by (api_key_alias) (rate(litellm_proxy_total_requests_metric_total[5m]))',
            legend: ['api_key_alias'],
            role: 'suspect',
          },
        ],
      },
    ],
  },
];

/** How many series the spec's queries return, asked of Prometheus directly. */
async function seriesCount(prometheus: PrometheusClient, spec: GraphSpec): Promise<number> {
  let total = 0;
  for (const series of spec.series) {
    const answer = await prometheus.rangeQuery(
      series.query,
      new Date(spec.start),
      new Date(spec.end),
      spec.stepSeconds,
    );
    if (answer.resultType === 'matrix') total += answer.series.length;
  }
  return total;
}

describe('graphs of public scenarios, rendered from the lab', () => {
  it.each(CASES)(
    'renders $id: 800×400, a drawn plot, one colour and one legend entry per series',
    async ({ id, specs }) => {
      const scenario = await loadScenario(`${SCENARIOS}${id}`);
      const lab = await startLab(scenario);
      try {
        const prometheus = createPrometheusClient({ url: lab.prometheusUrl });
        const result = { graphs: specs(scenario) };
        const { graphs, failures } = await renderResultGraphs(result, prometheus);
        expect(failures).toEqual([]);
        expect(graphs).toHaveLength(result.graphs.length);
        for (const [index, graph] of graphs.entries()) {
          const spec = result.graphs[index]!;
          const returned = await seriesCount(prometheus, spec);
          expect(returned, 'the queries return series in the lab').toBeGreaterThan(1);
          const expectedShown = Math.min(returned, spec.maxSeries ?? 6);
          expect([graph.shown, graph.hidden]).toEqual([expectedShown, returned - expectedShown]);

          const png = decodePng(graph.png);
          expect([png.width, png.height]).toEqual([800, 400]);
          const plot = colorCounts(png, plotArea(graph.layout));
          expect(plot.size, 'the plot area is not blank').toBeGreaterThan(20);
          expect(
            palette.some((color) => (plot.get(color) ?? 0) > 20),
            'lines are drawn in the plot',
          ).toBe(true);
          expect(seriesColors(png, palette)).toEqual(palette.slice(0, expectedShown));

          const elements = svgElements(graph.svg);
          const legendIcons = elements.filter(
            (element) =>
              element.attributes.ecmeta_ssr_type === 'legend' &&
              Boolean(element.attributes.d) &&
              palette.includes(element.attributes.fill ?? ''),
          );
          expect(legendIcons).toHaveLength(expectedShown);
          const texts = textsOf(elements);
          if (returned > expectedShown) expect(texts).toContain(`and ${returned - expectedShown} more`);
          expect(texts.some((text) => text.startsWith('alert '))).toBe(true);
          expect(texts.some((text) => text.startsWith('onset '))).toBe(true);
        }
      } finally {
        await lab.close();
      }
    },
    120_000,
  );
});

// Public scenarios, one per cause whose checks read a time-series tool: the investigator's own
// choice of graphs, drawn from the lab's Prometheus.
// `symptom`: the alert's rule (its generatorURL) is drawn, in a cause's graph or in its own.
const INVESTIGATED: Array<{ id: string; cause: string; title: RegExp; symptom: boolean }> = [
  {
    id: 'chat-api-p99-shared-gpu',
    cause: 'gpu-noisy-neighbor',
    // The alert's p99 against the neighbour's activity: on one time-sliced device the exporter
    // gives every pod the same activity, so ours against theirs would be one line over another.
    title: /^Symptom vs embed-batch-r4812-v7k2p on gpu 3 on gpu-a100-07/,
    symptom: true,
  },
  {
    id: 'whisper-throughput-drop',
    cause: 'gpu-thermal-throttling',
    title: /^SM clock against temperature/,
    symptom: true,
  },
  {
    id: 'llm-spend-spike-agent-loop',
    cause: 'agent-token-loop',
    title: /^Requests per client against the team spend/,
    symptom: true,
  },
  {
    id: 'research-notebooks-idle-h100-reservations',
    cause: 'idle-gpu-reservation',
    title: /^GPU activity of the idle GPU holders/,
    symptom: true,
  },
  {
    id: 'codegen-pytorchjob-stalled-xid79-worker-1',
    cause: 'gpu-xid-fault',
    title: /^Last XID against GPU utilisation/,
    symptom: false,
  },
  { id: 'bid-pricer-errors', cause: 'bad-rollout', title: /per version/, symptom: true },
];

describe('graphs the investigator keeps for public scenarios', () => {
  it.each(INVESTIGATED)(
    'keeps and draws a graph of the root cause $cause for $id',
    async ({ id, cause, title, symptom }) => {
      const scenario = await loadScenario(`${SCENARIOS}${id}`);
      const lab = await startLab(scenario);
      try {
        const { config } = loadConfig({ env: {} });
        const investigator = await createInvestigator(configForLab(config, lab));
        const result = await investigator.investigate(scenario.alert);
        expect(result.rootCause?.id).toBe(cause);
        const specs = result.graphs ?? [];
        expect(specs.length).toBeGreaterThanOrEqual(1);
        expect(specs.length).toBeLessThanOrEqual(MAX_GRAPHS);
        // Checks that share one tool call share its graph: each is listed once.
        expect(new Set(specs.map((spec) => JSON.stringify(spec))).size).toBe(specs.length);
        expect(specs.map((spec) => spec.title)).toContainEqual(expect.stringMatching(title));
        for (const spec of specs) expect(graphSpecSchema.safeParse(spec).success).toBe(true);
        const rule = alertSignal(alertExpression(scenario.alert.generatorURL));
        const drawn = specs.filter((spec) => spec.series.some((series) => series.query === rule?.query));
        expect(drawn, "the alert's rule is drawn once").toHaveLength(symptom ? 1 : 0);
        if (symptom) expect(drawn[0]!.series.find((series) => series.query === rule?.query)?.role).toBe('victim');

        const prometheus = createPrometheusClient({ url: lab.prometheusUrl });
        const { graphs, failures } = await renderResultGraphs(result, prometheus);
        expect(failures).toEqual([]);
        expect(graphs).toHaveLength(specs.length);
        for (const [index, graph] of graphs.entries()) {
          expect(graph.shown, `${specs[index]!.title}: its queries return series in the lab`).toBeGreaterThan(0);
          const png = decodePng(graph.png);
          expect([png.width, png.height]).toEqual([800, 400]);
          const area = plotArea(graph.layout);
          expect(colorCounts(png, area).size, 'the plot area is not blank').toBeGreaterThan(20);
          // An idle GPU's line lies on the x axis, half below the plot's last row.
          const lines = colorCounts(png, { ...area, bottom: area.bottom + 2 });
          expect(
            palette.some((color) => (lines.get(color) ?? 0) > 20),
            'lines are drawn in the plot',
          ).toBe(true);
          // A graph of one thing against another (two axes) shows both: neither lies under the other.
          // (Lines of one axis may coincide, as idle GPUs all lie at zero.)
          if (specs[index]!.rightUnit) {
            const hidden = palette.slice(0, graph.shown).filter((color) => (lines.get(color) ?? 0) < 20);
            expect(hidden, `${specs[index]!.title}: colours of series not visible in the plot`).toEqual([]);
          }
          const texts = textsOf(svgElements(graph.svg));
          expect(texts.some((text) => text.startsWith('alert '))).toBe(true);
          if (specs[index]!.onset) expect(texts.some((text) => text.startsWith('onset '))).toBe(true);
        }
      } finally {
        await lab.close();
      }
    },
    120_000,
  );
});
