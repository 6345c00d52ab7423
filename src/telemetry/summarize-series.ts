import type { Sample } from './prometheus-types.js';

const BLOCKS = '▁▂▃▄▅▆▇█';
const GAP = '·';
// Change-point search cost stays bounded on long series: windows at most this wide, at most this many coarse splits.
const MAX_WINDOW = 120;
const MAX_SPLITS = 500;

export interface SeriesChange {
  /** RFC 3339 time of the first sample after the change. */
  at: string;
  /** Median of the window before, and of the window after. */
  from: number;
  to: number;
  delta: number;
}

/** Statistics over the finite samples; numbers are NaN when there are none. */
export interface SeriesSummary {
  count: number;
  /** Samples left out because they were NaN or ±Inf. */
  skipped: number;
  first: number;
  min: number;
  mean: number;
  max: number;
  last: number;
  p95: number;
  trend: 'rising' | 'falling' | 'flat';
  slopePerMinute: number;
  biggestChange: SeriesChange | null;
  /** At most `sketchWidth` blocks, each the max of its bucket; `·` where a bucket has no finite sample. */
  sketch: string;
}

export interface SummarizeSeriesOptions {
  /** Default 24. */
  sketchWidth?: number;
  /** A fitted change smaller than this share of (max − min) counts as flat. Default 0.25. */
  flatThreshold?: number;
}

export function summarizeSeries(points: readonly Sample[], options: SummarizeSeriesOptions = {}): SeriesSummary {
  const finite = points.filter(([, value]) => Number.isFinite(value));
  const values = finite.map(([, value]) => value);
  const count = values.length;
  // reduce, not Math.min(...values): spreading a long series can overflow the call stack.
  const min = count ? values.reduce((low, value) => Math.min(low, value)) : Number.NaN;
  const max = count ? values.reduce((high, value) => Math.max(high, value)) : Number.NaN;
  const slope = leastSquaresSlope(finite);
  return {
    count,
    skipped: points.length - count,
    first: values[0] ?? Number.NaN,
    min,
    mean: count ? values.reduce((sum, value) => sum + value, 0) / count : Number.NaN,
    max,
    last: values[count - 1] ?? Number.NaN,
    p95: quantile(
      [...values].sort((left, right) => left - right),
      0.95,
    ),
    trend: trendOf(slope, finite, min, max, options.flatThreshold ?? 0.25),
    slopePerMinute: slope * 60,
    biggestChange: biggestChange(finite),
    sketch: sketch(points, min, max, options.sketchWidth ?? 24),
  };
}

/** Linear interpolation between closest ranks (numpy's default); `sorted` ascending. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[Math.ceil(position)] ?? low;
  return low + (high - low) * (position - lower);
}

function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((left, right) => left - right),
    0.5,
  );
}

/** Per second; 0 when fewer than two distinct times. */
function leastSquaresSlope(points: readonly Sample[]): number {
  if (points.length < 2) return 0;
  const origin = points[0]?.[0] ?? 0;
  const meanTime = points.reduce((sum, [time]) => sum + (time - origin), 0) / points.length;
  const meanValue = points.reduce((sum, [, value]) => sum + value, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const [time, value] of points) {
    covariance += (time - origin - meanTime) * (value - meanValue);
    variance += (time - origin - meanTime) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

function trendOf(
  slope: number,
  points: readonly Sample[],
  min: number,
  max: number,
  flatThreshold: number,
): SeriesSummary['trend'] {
  const duration = (points[points.length - 1]?.[0] ?? 0) - (points[0]?.[0] ?? 0);
  const change = slope * duration;
  const range = max - min;
  // Flat when the fitted change is small against the spread, or negligible against the level (1 %).
  if (!(range > 0) || Math.abs(change) < flatThreshold * range) return 'flat';
  if (Math.abs(change) < 0.01 * Math.max(Math.abs(min), Math.abs(max))) return 'flat';
  return change > 0 ? 'rising' : 'falling';
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Largest difference between the medians of the windows either side of a split; ties go to the larger mean difference. */
function biggestChange(points: readonly Sample[]): SeriesChange | null {
  const count = points.length;
  if (count < 2) return null;
  const values = points.map(([, value]) => value);
  const side = count >= 4 ? 2 : 1;
  const window = Math.min(MAX_WINDOW, Math.max(side, Math.floor(count / 4)));
  const score = (split: number) => {
    const before = values.slice(Math.max(0, split - window), split);
    const after = values.slice(split, Math.min(count, split + window));
    return { split, from: median(before), to: median(after), meanDelta: mean(after) - mean(before) };
  };
  type Scored = ReturnType<typeof score>;
  const better = (candidate: Scored, best: Scored | undefined) => {
    if (!best) return true;
    const size = Math.abs(candidate.to - candidate.from);
    const bestSize = Math.abs(best.to - best.from);
    return size > bestSize || (size === bestSize && Math.abs(candidate.meanDelta) > Math.abs(best.meanDelta));
  };
  const search = (from: number, to: number, stride: number, initial?: Scored) => {
    let best = initial;
    for (let split = from; split <= to; split += stride) {
      const candidate = score(split);
      if (better(candidate, best)) best = candidate;
    }
    return best;
  };
  const stride = Math.max(1, Math.ceil((count - 2 * side) / MAX_SPLITS));
  let best = search(side, count - side, stride);
  if (best && stride > 1)
    best = search(Math.max(side, best.split - stride), Math.min(count - side, best.split + stride), 1, best);
  if (!best || best.to === best.from) return null;
  const time = points[best.split]?.[0] ?? 0;
  return { at: toRfc3339(time), from: best.from, to: best.to, delta: best.to - best.from };
}

function toRfc3339(tsSeconds: number): string {
  return new Date(tsSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

function sketch(points: readonly Sample[], min: number, max: number, width: number): string {
  const buckets = Math.min(Math.max(1, Math.floor(width)), points.length);
  let text = '';
  for (let bucket = 0; bucket < buckets; bucket += 1) {
    const start = Math.floor((bucket * points.length) / buckets);
    const end = Math.floor(((bucket + 1) * points.length) / buckets);
    let peak = Number.NEGATIVE_INFINITY;
    for (let index = start; index < end; index += 1) {
      const value = points[index]?.[1] ?? Number.NaN;
      if (Number.isFinite(value) && value > peak) peak = value;
    }
    if (peak === Number.NEGATIVE_INFINITY) text += GAP;
    else text += BLOCKS[max > min ? Math.round(((peak - min) / (max - min)) * (BLOCKS.length - 1)) : 0];
  }
  return text;
}
