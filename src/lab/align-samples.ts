import type { SampleValue, ScenarioSeries } from './scenario.js';

export interface AlignedSample {
  /** Milliseconds since the epoch. */
  timestampMs: number;
  value: number | 'stale';
}

/**
 * Places a series' samples in time, right-aligned to `now` (shared/SCENARIOS.md): sample i of N
 * lies at now - (N-1-i) * interval. Missing samples (`_`) are left out, as promtool leaves them.
 */
export function alignSamples(series: Pick<ScenarioSeries, 'values'>, now: Date, intervalMs: number): AlignedSample[] {
  const last = series.values.length - 1;
  const samples: AlignedSample[] = [];
  series.values.forEach((value: SampleValue, index) => {
    if (value !== null) samples.push({ timestampMs: now.getTime() - (last - index) * intervalMs, value });
  });
  return samples;
}
