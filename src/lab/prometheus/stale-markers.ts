import type { ScenarioSeries } from '../scenario.js';
import type { WriteSeries } from './encode-write-request.js';
import { sampleTime, type SampleTimeOptions } from './sample-time.js';
import { seriesLabels } from './series-labels.js';

/**
 * The `stale` samples of a scenario as remote-write series whose values are NaN, which
 * encodeWriteRequest writes as Prometheus's staleness marker. Series without one are left out.
 */
export function staleMarkers(series: ScenarioSeries[], options: SampleTimeOptions): WriteSeries[] {
  const labelSets = seriesLabels(series);
  const result: WriteSeries[] = [];
  series.forEach((entry, index) => {
    const samples: WriteSeries['samples'] = [];
    entry.values.forEach((value, position) => {
      if (value === 'stale')
        samples.push({ timestampMs: sampleTime(options, entry.values.length, position), value: Number.NaN });
    });
    if (samples.length > 0) result.push({ labels: labelSets[index] ?? { __name__: entry.metric }, samples });
  });
  return result;
}
