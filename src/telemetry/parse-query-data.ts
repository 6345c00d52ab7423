import { HolmesError } from '../core/errors.js';
import type { InstantSeries, Labels, QueryData, RangeSeries, Sample } from './prometheus-types.js';

/** Prometheus sends sample values as strings; `Number('+Inf')` is NaN, so the specials are mapped by hand. */
export function parseSampleValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return Number.NaN;
  if (value === '+Inf' || value === 'Inf') return Number.POSITIVE_INFINITY;
  if (value === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(value);
}

function unexpected(what: string): HolmesError {
  return new HolmesError('UPSTREAM_UNAVAILABLE', `Prometheus answered with an unexpected ${what}.`, {
    fix: 'Check that the URL points at the Prometheus HTTP API (a Prometheus-compatible server that serves /api/v1).',
  });
}

function parseSample(pair: unknown): Sample {
  if (!Array.isArray(pair) || pair.length < 2 || typeof pair[0] !== 'number') throw unexpected('sample');
  return [pair[0], parseSampleValue(pair[1])];
}

function parseLabels(metric: unknown): Labels {
  if (metric === undefined || metric === null) return {};
  if (typeof metric !== 'object') throw unexpected('label set');
  return { ...(metric as Labels) };
}

/** Turns the `data` of `/query` or `/query_range` into the normalised form. */
export function parseQueryData(data: unknown): QueryData {
  if (typeof data !== 'object' || data === null) throw unexpected('query result');
  const { resultType, result } = data as { resultType?: unknown; result?: unknown };
  switch (resultType) {
    case 'vector': {
      if (!Array.isArray(result)) throw unexpected('vector');
      const series: InstantSeries[] = result.map((item: { metric?: unknown; value?: unknown }) => ({
        labels: parseLabels(item.metric),
        value: parseSample(item.value),
      }));
      return { resultType, series };
    }
    case 'matrix': {
      if (!Array.isArray(result)) throw unexpected('matrix');
      // Native-histogram series carry `histograms` instead of `values`; they have no float samples to keep.
      const series: RangeSeries[] = result.map((item: { metric?: unknown; values?: unknown }) => ({
        labels: parseLabels(item.metric),
        values: Array.isArray(item.values) ? item.values.map(parseSample) : [],
      }));
      return { resultType, series };
    }
    case 'scalar':
      return { resultType, value: parseSample(result) };
    case 'string': {
      if (!Array.isArray(result) || typeof result[0] !== 'number') throw unexpected('string result');
      return { resultType, value: [result[0], String(result[1])] };
    }
    default:
      throw unexpected(`result type '${String(resultType)}'`);
  }
}

export function parseStringList(data: unknown, what: string): string[] {
  if (data === null) return [];
  if (!Array.isArray(data) || !data.every((item) => typeof item === 'string')) throw unexpected(what);
  return data;
}

export function parseLabelSets(data: unknown): Labels[] {
  if (data === null) return [];
  if (!Array.isArray(data)) throw unexpected('series list');
  return data.map(parseLabels);
}

export function parseObject<T>(data: unknown, what: string): T {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw unexpected(what);
  return data as T;
}
