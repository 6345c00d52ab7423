import { describe, expect, it } from 'vitest';
import { formatSeriesSummary } from '../../src/telemetry/format-series-summary.js';
import type { Sample } from '../../src/telemetry/prometheus-types.js';
import { summarizeSeries } from '../../src/telemetry/summarize-series.js';

const START = 1_700_000_000; // 2023-11-14T22:13:20Z

function series(values: number[], stepSeconds = 30): Sample[] {
  return values.map((value, index) => [START + index * stepSeconds, value]);
}

describe('formatSeriesSummary', () => {
  it('writes one line with labels, statistics, trend, the step and the sketch when the series steps', () => {
    const summary = summarizeSeries(series([44, 44, 44, 44, 98, 98, 98, 99]));

    const line = formatSeriesSummary({ __name__: 'DCGM_FI_DEV_GPU_UTIL', pod: 'chat-api-x2', gpu: '0' }, summary);

    expect(line).toBe(
      'pod=chat-api-x2 gpu=0: last 99 (min 44, mean 71.1, max 99, p95 98.7) rising; +54 at 22:15Z ▁▁▁▁████',
    );
  });

  it('leaves the change out when it is small against the range, as on a ramp', () => {
    const summary = summarizeSeries(series([0, 10, 20, 30, 40, 50, 60, 70, 80, 90], 60));

    expect(formatSeriesSummary({ model: 'llama' }, summary, { unit: '%' })).toBe(
      'model=llama: last 90% (min 0%, mean 45%, max 90%, p95 85.5%) rising ▁▂▃▃▄▅▆▆▇█',
    );
  });

  it('uses compact numbers and marks a falling step with its sign', () => {
    const summary = summarizeSeries(series([2.5e9, 2.5e9, 2.5e9, 1.2e9, 1.2e9, 1.2e9]));

    expect(formatSeriesSummary({}, summary)).toBe(
      '{}: last 1.2G (min 1.2G, mean 1.85G, max 2.5G, p95 2.5G) falling; -1.3G at 22:14Z ███▁▁▁',
    );
  });

  it('says no data and how many samples were not finite when none is', () => {
    const summary = summarizeSeries(series([Number.NaN, Number.NaN]));

    expect(formatSeriesSummary({ pod: 'x' }, summary)).toBe('pod=x: no data (2 NaN/Inf samples)');
  });
});
