/**
 * Lab Prometheus start-up: how long from a scenario's series to a Prometheus whose queries see
 * them (write OpenMetrics, promtool backfill, start, ready, series listed), and how long close()
 * takes. Target: 200 series × 240 samples ready in ≤ 3 s on a 2-core machine.
 */
import { performance } from 'node:perf_hooks';
import type { ScenarioSeries } from '../../src/lab/scenario.js';
import { startPrometheus, toOpenMetrics } from '../../src/lab/prometheus/index.js';

const RUNS = 5;

function scenarioSeries(count: number, samples: number, withStale: boolean): ScenarioSeries[] {
  return Array.from({ length: count }, (_, index) => ({
    metric: index % 2 === 0 ? 'DCGM_FI_DEV_GPU_UTIL' : 'vllm:num_requests_running',
    labels: { gpu: String(index % 8), Hostname: `gpu-node-${Math.floor(index / 8)}`, pod: `pod-${index}` },
    values: Array.from({ length: samples }, (_, position) =>
      withStale && index % 10 === 0 && position === samples - 20 ? 'stale' : (index * 7 + position) % 100,
    ),
  }));
}

async function measure(label: string, series: ScenarioSeries[]): Promise<void> {
  const now = new Date();
  const options = { now, intervalMs: 30_000 };
  const renderStart = performance.now();
  const text = toOpenMetrics(series, options);
  const renderMs = performance.now() - renderStart;
  const startTimes: number[] = [];
  const closeTimes: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const lab = await startPrometheus({ series, ...options });
    startTimes.push(performance.now() - started);
    const closing = performance.now();
    await lab.close();
    closeTimes.push(performance.now() - closing);
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const ms = (value: number): string => `${value.toFixed(0)} ms`;
  process.stdout.write(
    `${label}: toOpenMetrics ${ms(renderMs)} (${(text.length / 1e6).toFixed(1)} MB); ` +
      `ready median ${ms(median(startTimes))}, max ${ms(Math.max(...startTimes))} (target ≤ 3000 ms); ` +
      `close median ${ms(median(closeTimes))} over ${RUNS} runs\n`,
  );
}

export async function run(): Promise<void> {
  await measure('200 series × 240 samples', scenarioSeries(200, 240, false));
  await measure('200 series × 240 samples, 20 stale markers', scenarioSeries(200, 240, true));
  await measure('2000 series × 240 samples', scenarioSeries(2000, 240, false));
}
