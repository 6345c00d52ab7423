import type { QueryResult } from '../telemetry/prometheus-types.js';
import { summarizeSeries, type SeriesSummary } from '../telemetry/summarize-series.js';
import { applyLabelAliases, formatLabels, varyingLabels } from './apply-label-aliases.js';
import { decodeValue, formatValue } from './format-value.js';
import type { DecoderSpec, OutputSpec } from './toolset-schema.js';

export interface ShapedSeries {
  labels: Record<string, string>;
  /** Instant results: the value (and its decoding). */
  value?: number;
  decoded?: string;
  /** Range results: the summary. */
  summary?: SeriesSummary;
}

export interface ShapedQuery {
  lines: string[];
  series: ShapedSeries[];
  total: number;
  omitted: number;
}

export interface ShapeOptions {
  output: OutputSpec;
  aliases: Record<string, string>;
  decoder?: DecoderSpec;
}

function sketchLine(
  summary: SeriesSummary,
  unit: string | undefined,
  decoder: DecoderSpec | undefined,
  labelDecoded: boolean,
): string {
  const value = (number: number) => formatValue(number, unit);
  const decodedLast = decoder && !labelDecoded ? ` = ${decodeValue(summary.last, decoder)}` : '';
  const change = summary.biggestChange
    ? `; biggest change ${value(summary.biggestChange.from)}→${value(summary.biggestChange.to)} at ${summary.biggestChange.at.slice(11, 16)}Z`
    : '';
  return `last ${value(summary.last)}${decodedLast} (min ${value(summary.min)}, mean ${value(summary.mean)}, max ${value(summary.max)}, p95 ${value(summary.p95)}) ${summary.trend}${change} ${summary.sketch}`;
}

/** A Prometheus answer as a few lines for a model and a typed list for code; nothing cut silently. */
export function shapePromqlResult(result: QueryResult, options: ShapeOptions): ShapedQuery {
  const { output, aliases, decoder } = options;
  let series: ShapedSeries[] = [];
  if (result.resultType === 'vector') {
    series = result.series.map((entry) => ({
      labels: applyLabelAliases(entry.labels, aliases),
      value: entry.value[1],
    }));
  } else if (result.resultType === 'matrix') {
    series = result.series.map((entry) => ({
      labels: applyLabelAliases(entry.labels, aliases),
      summary: summarizeSeries(entry.values),
    }));
  } else if (result.resultType === 'scalar') {
    series = [{ labels: {}, value: result.value[1] }];
  }
  for (const entry of series) {
    if (!decoder) continue;
    const coded = output.decodeLabel ? Number(entry.labels[output.decodeLabel]) : entry.value;
    if (coded !== undefined && !Number.isNaN(coded)) entry.decoded = decodeValue(coded, decoder);
  }
  const score = (entry: ShapedSeries) => entry.value ?? entry.summary?.max ?? Number.NEGATIVE_INFINITY;
  const direction = output.sort === 'asc' ? 1 : -1;
  series.sort(
    (left, right) =>
      direction *
      ((Number.isNaN(score(left)) ? -Infinity : score(left)) - (Number.isNaN(score(right)) ? -Infinity : score(right))),
  );
  const shown = series.slice(0, output.topK);
  const names = output.labels ?? varyingLabels(series.map((entry) => entry.labels));
  const lines = shown.map((entry) => {
    const label = formatLabels(entry.labels, names);
    if (entry.summary)
      return `${label}${entry.decoded ? ` (${entry.decoded})` : ''}: ${sketchLine(entry.summary, output.unit, decoder, Boolean(output.decodeLabel))}`;
    const decoded = entry.decoded ? ` (${entry.decoded})` : '';
    return `${label}: ${formatValue(entry.value ?? Number.NaN, output.unit)}${decoded}`;
  });
  return { lines, series: shown, total: series.length, omitted: series.length - shown.length };
}
