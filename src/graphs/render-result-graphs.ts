import { HolmesError } from '../core/errors.js';
import { MAX_GRAPHS, type GraphSpec } from '../core/graph-spec.js';
import type { PrometheusClient } from '../telemetry/prometheus-types.js';
import { renderGraph, type RenderedGraph } from './render-graph.js';
import type { RenderGraphOptions } from './render-graph-svg.js';
import { resultGraphs, type WithGraphs } from './result-graphs.js';

/** A graph that could not be drawn, and why; the investigation itself stands. */
export interface GraphFailure {
  /** 1-based, as in `graphs/N.png`. */
  index: number;
  title: string;
  code: string;
  message: string;
}

export interface RenderResultGraphsOptions extends RenderGraphOptions {
  /** Draw only the first `limit` graphs (Slack posts one). */
  limit?: number;
}

/** One line for NOT CHECKED: which graph, and what went wrong. */
export function describeGraphFailure(failure: GraphFailure): string {
  return `graph ${failure.index} '${failure.title}' was not rendered: ${failure.message}`;
}

function titleOf(spec: unknown, index: number): string {
  const title = (spec as Partial<GraphSpec> | null)?.title;
  return typeof title === 'string' ? title : `graph ${index}`;
}

/**
 * Renders a finished result's graphs to PNG, one after another (a 2-core server keeps serving),
 * for delivery: the CLI writes them, Slack uploads the first, Jira attaches them. A graph that
 * fails is returned as a failure beside the others, never thrown.
 */
export async function renderResultGraphs(
  result: WithGraphs,
  prometheus: PrometheusClient | undefined,
  options: RenderResultGraphsOptions = {},
): Promise<{ graphs: Array<RenderedGraph & { index: number }>; failures: GraphFailure[] }> {
  const specs = resultGraphs(result).slice(0, options.limit ?? MAX_GRAPHS);
  const graphs: Array<RenderedGraph & { index: number }> = [];
  const failures: GraphFailure[] = [];
  for (const [position, spec] of specs.entries()) {
    const index = position + 1;
    try {
      if (!prometheus) {
        throw new HolmesError('CONFIG_INVALID', 'no Prometheus is configured to read the series from.', {
          fix: 'Set prometheus.url (or --prometheus-url).',
        });
      }
      graphs.push({ index, ...(await renderGraph(spec, prometheus, options)) });
    } catch (error) {
      failures.push({
        index,
        title: titleOf(spec, index),
        code: HolmesError.isInstance(error) ? error.code : 'INTERNAL',
        message: (error as Error).message,
      });
    }
  }
  return { graphs, failures };
}
