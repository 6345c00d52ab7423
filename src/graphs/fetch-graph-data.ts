import { HolmesError } from '../core/errors.js';
import { DEFAULT_MAX_SERIES, type GraphSpec } from '../core/graph-spec.js';
import type { PrometheusClient, RangeSeries } from '../telemetry/prometheus-types.js';
import type { GraphData, GraphLine } from './graph-data.js';
import { nameSeries } from './name-series.js';
import { selectSeries } from './select-series.js';
import { toLinePoints } from './to-line-points.js';

type Named = GraphLine;

/**
 * Runs the graph's range queries (read-only, over its own range and step) and turns what they
 * return into named lines, capped at `maxSeries`. A query that fails fails the graph; a query
 * that returns nothing adds no line.
 */
export async function fetchGraphData(spec: GraphSpec, prometheus: PrometheusClient): Promise<GraphData> {
  const start = new Date(spec.start);
  const end = new Date(spec.end);
  const answers = await Promise.all(
    spec.series.map((series) => prometheus.rangeQuery(series.query, start, end, spec.stepSeconds)),
  );
  const bothAxes = new Set(spec.series.map((series) => series.axis ?? 'left')).size > 1;
  const groups = spec.series.map((series, index) => {
    const answer = answers[index]!;
    if (answer.resultType !== 'matrix') {
      throw new HolmesError(
        'GRAPH_INVALID',
        `Graph '${spec.title}': query ${index + 1} returned a ${answer.resultType}, not series over time.`,
        { fix: 'Give a PromQL expression that returns an instant vector, so the range query returns a matrix.' },
      );
    }
    const found: RangeSeries[] = answer.series;
    const names = nameSeries(
      series.legend,
      found.map((item) => item.labels),
    );
    const axis = series.axis ?? 'left';
    return {
      ...(series.role ? { role: series.role } : {}),
      series: found.map((item, position): Named => ({
        name: bothAxes && axis === 'right' ? `${names[position]} (right)` : names[position]!,
        axis,
        ...(series.role ? { role: series.role } : {}),
        points: toLinePoints(item.values, spec.stepSeconds),
      })),
    };
  });
  const { shown, hidden } = selectSeries(groups, spec.maxSeries ?? DEFAULT_MAX_SERIES, (line) =>
    line.points.map(([, value]) => value),
  );
  return { spec, lines: distinctNames(shown), hidden, requests: answers.map((answer) => answer.request) };
}

// The chart keys lines by name: two that read the same get a number so neither disappears.
function distinctNames(lines: GraphLine[]): GraphLine[] {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const count = (seen.get(line.name) ?? 0) + 1;
    seen.set(line.name, count);
    return count === 1 ? line : { ...line, name: `${line.name} #${count}` };
  });
}
