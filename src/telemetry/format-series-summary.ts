import { formatCompactNumber } from './format-compact-number.js';
import type { Labels } from './prometheus-types.js';
import type { SeriesSummary } from './summarize-series.js';

export interface FormatSeriesSummaryOptions {
  /** Appended to every value, e.g. `%` or ` W`. */
  unit?: string;
  /** Labels left out of the line; default `__name__`. */
  omitLabels?: string[];
  /** Show the biggest change only when it is at least this share of (max − min). Default 0.3. */
  changeThreshold?: number;
}

/** `pod=chat-api-x2 gpu=0: last 98 (min 44, mean 61, max 99, p95 98) rising; +53 at 06:12Z ▁▁▂▇██` */
export function formatSeriesSummary(
  labels: Labels,
  summary: SeriesSummary,
  options: FormatSeriesSummaryOptions = {},
): string {
  const omit = new Set(options.omitLabels ?? ['__name__']);
  const names = Object.entries(labels)
    .filter(([name]) => !omit.has(name))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  const head = names || '{}';
  const skipped = summary.skipped > 0 ? ` (${summary.skipped} NaN/Inf samples)` : '';
  if (summary.count === 0) return `${head}: no data${skipped}`;

  const unit = options.unit ?? '';
  const value = (number: number) => `${formatCompactNumber(number)}${unit}`;
  let line = `${head}: last ${value(summary.last)} (min ${value(summary.min)}, mean ${value(summary.mean)}, max ${value(summary.max)}, p95 ${value(summary.p95)}) ${summary.trend}`;
  const change = summary.biggestChange;
  const range = summary.max - summary.min;
  if (change && range > 0 && Math.abs(change.delta) >= (options.changeThreshold ?? 0.3) * range) {
    const sign = change.delta > 0 ? '+' : '';
    line += `; ${sign}${value(change.delta)} at ${change.at.slice(11, 16)}Z`;
  }
  return `${line}${skipped} ${summary.sketch}`;
}
