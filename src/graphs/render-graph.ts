import { formatIssue, HolmesError } from '../core/errors.js';
import { graphSpecSchema, type GraphSpec } from '../core/graph-spec.js';
import type { PrometheusClient } from '../telemetry/prometheus-types.js';
import { fetchGraphData } from './fetch-graph-data.js';
import type { GraphData } from './graph-data.js';
import { rasterizeSvg } from './rasterize-svg.js';
import type { GraphLayout } from './plan-layout.js';
import { renderGraphSvg, type RenderGraphOptions } from './render-graph-svg.js';

/** One graph drawn: the PNG to deliver, the SVG it came from, and what it shows. */
export interface RenderedGraph {
  title: string;
  png: Buffer;
  svg: string;
  /** Where the plot lies in the picture. */
  layout: GraphLayout;
  /** Lines drawn (the legend has one entry each, plus "and N more" when `hidden` > 0). */
  shown: number;
  hidden: number;
  /** The range queries run, as sent. */
  requests: string[];
  timings: { queryMs: number; svgMs: number; pngMs: number };
}

/** Checks a spec that came from a stored result or another process before anything is queried. */
function parseGraphSpec(spec: unknown): GraphSpec {
  const parsed = graphSpecSchema.safeParse(spec);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  throw new HolmesError(
    'GRAPH_INVALID',
    `Invalid graph spec: ${issues.map((issue) => formatIssue(issue)).join('; ')}.`,
    {
      issues,
      fix: 'Fix the check that produced the graph spec (src/core/graph-spec.ts describes the fields).',
    },
  );
}

/** Draws graph data already fetched: SVG, then PNG. */
export async function drawGraph(
  data: GraphData,
  options: RenderGraphOptions = {},
): Promise<Omit<RenderedGraph, 'requests' | 'timings'> & { timings: { svgMs: number; pngMs: number } }> {
  const started = performance.now();
  let svg: string;
  let layout: GraphLayout;
  try {
    ({ svg, layout } = renderGraphSvg(data, options));
  } catch (error) {
    throw new HolmesError(
      'GRAPH_RENDER_FAILED',
      `Graph '${data.spec.title}' could not be drawn as SVG: ${(error as Error).message}`,
      {
        cause: error,
        fix: 'Report it with the graph spec (holmes investigations show ID --json has it).',
      },
    );
  }
  const drawn = performance.now();
  let png: Buffer;
  try {
    png = await rasterizeSvg(svg);
  } catch (error) {
    throw new HolmesError(
      'GRAPH_RENDER_FAILED',
      `Graph '${data.spec.title}' could not be rasterised to PNG: ${(error as Error).message}`,
      {
        cause: error,
        fix: 'Report it with the graph spec (holmes investigations show ID --json has it).',
      },
    );
  }
  return {
    title: data.spec.title,
    png,
    svg,
    layout,
    shown: data.lines.length,
    hidden: data.hidden,
    timings: { svgMs: drawn - started, pngMs: performance.now() - drawn },
  };
}

/** Fetches a graph's series from Prometheus (read-only range queries) and draws it. */
export async function renderGraph(
  spec: unknown,
  prometheus: PrometheusClient,
  options: RenderGraphOptions = {},
): Promise<RenderedGraph> {
  const checked = parseGraphSpec(spec);
  const started = performance.now();
  const data = await fetchGraphData(checked, prometheus);
  const queryMs = performance.now() - started;
  const drawn = await drawGraph(data, options);
  return { ...drawn, requests: data.requests, timings: { queryMs, ...drawn.timings } };
}
