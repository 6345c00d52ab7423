import type { ScenarioSeries } from '../scenario.js';
import { checkSampleTimeOptions, sampleTime, type SampleTimeOptions } from './sample-time.js';
import { seriesLabels } from './series-labels.js';

export type OpenMetricsOptions = SampleTimeOptions;

// Parts of one family as OpenMetrics names them; they sort next to their family's base name.
const FAMILY_SUFFIX = /_(bucket|sum|count|total|created|info|gcount|gsum)$/;

/**
 * OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`. Each series' samples are
 * right-aligned to `now`; `_` (null) is left out. Series are grouped by family, parts of one
 * family (`x_bucket`, `x_sum`, `x_count`) side by side, as OpenMetrics asks (promtool 2.42 does
 * not check, and reads the names as they are: `_total`, `_bucket` and colons all stay).
 *
 * `stale` is left out too: OpenMetrics has no staleness marker (promtool turns every NaN into
 * an ordinary NaN). startPrometheus writes the markers afterwards through remote write (see
 * staleMarkers). Used alone, this file makes a series that goes stale at t still return its
 * last value until the 5-minute lookback runs out, instead of nothing from t on.
 */
export function toOpenMetrics(series: ScenarioSeries[], options: OpenMetricsOptions): string {
  checkSampleTimeOptions(options);
  const labelSets = seriesLabels(series);
  const order = series
    .map((entry, index) => ({ entry, index, family: entry.metric.replace(FAMILY_SUFFIX, '') }))
    .sort((a, b) => compare(a.family, b.family) || compare(a.entry.metric, b.entry.metric) || a.index - b.index);
  const lines: string[] = [];
  for (const { entry, index } of order) {
    const head = `${entry.metric}${formatLabels(labelSets[index] ?? {})} `;
    entry.values.forEach((value, position) => {
      if (value === null || value === 'stale') return;
      lines.push(`${head}${formatValue(value)} ${formatTimestamp(sampleTime(options, entry.values.length, position))}`);
    });
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels)
    .filter(([name]) => name !== '__name__')
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/**
 * Seconds with millisecond precision. promtool 2.42 reads `int64(seconds * 1000)`, which
 * truncates 1000000000.123 to ...122 about one time in a hundred, so a fractional timestamp
 * carries an extra half millisecond (`.1235`) that truncation removes exactly.
 */
function formatTimestamp(milliseconds: number): string {
  const remainder = milliseconds % 1000;
  const seconds = (milliseconds - remainder) / 1000;
  return remainder === 0 ? String(seconds) : `${seconds}.${String(remainder).padStart(3, '0')}5`;
}
