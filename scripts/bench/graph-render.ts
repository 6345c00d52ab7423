import { availableParallelism, loadavg } from 'node:os';
import type { GraphData, GraphPoint } from '../../src/graphs/graph-data.js';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

const START = Date.parse('2025-03-10T10:00:00Z');
const STEP = 30;
const POINTS = 240;
const RUNS = 60;

/** Four series of 240 points with a step change, a gap and noise: what an evidence graph holds. */
function graphData(): GraphData {
  const line = (index: number): GraphPoint[] =>
    Array.from({ length: POINTS }, (_, point): GraphPoint => {
      const noise = Math.sin(point * 1.7 + index) * 0.05 + Math.cos(point / 7 + index) * 0.03;
      const value =
        index === 3 ? 40 + (point > 180 ? 50 : 0) + noise * 100 : 0.4 + index * 0.1 + (point > 180 ? 2 : 0) + noise;
      return [START + point * STEP * 1000, point % 97 === 50 ? null : value];
    });
  return {
    spec: {
      title: 'chat-api p99 TTFT vs activity on gpu-a100-07 GPU 3',
      unit: 's',
      rightUnit: 'percent',
      start: new Date(START).toISOString(),
      end: new Date(START + (POINTS - 1) * STEP * 1000).toISOString(),
      stepSeconds: STEP,
      alertStart: new Date(START + 190 * STEP * 1000).toISOString(),
      onset: new Date(START + 181 * STEP * 1000).toISOString(),
      threshold: { value: 2, label: 'SLO' },
      series: [{ query: 'bench', legend: ['pod'] }],
    },
    lines: [0, 1, 2, 3].map((index) => ({
      name: index === 3 ? 'GPU util embed-batch-r4812-v7k2p (right)' : `chat-api-6f8b9c7d54-pod${index}`,
      axis: index === 3 ? ('right' as const) : ('left' as const),
      role: index === 3 ? ('suspect' as const) : ('victim' as const),
      points: line(index),
    })),
    hidden: 2,
    requests: [],
  };
}

const describe = (label: string, values: number[], target: string) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${label.padEnd(14)} p50 ${quantile(sorted, 0.5).toFixed(1).padStart(6)} ms  p95 ${quantile(sorted, 0.95).toFixed(1).padStart(6)} ms${target}`;
};

/** One 800×400 graph of 4 series × 240 points: SVG (ECharts SSR), PNG (resvg) and both, in this process. */
export async function run(): Promise<void> {
  const loadStarted = performance.now();
  const { drawGraph } = await import('../../src/graphs/render-graph.js');
  const data = graphData();
  const cold = await drawGraph(data);
  const coldMs = performance.now() - loadStarted;
  const svg: number[] = [];
  const png: number[] = [];
  const total: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    // CPU time of the process (all threads): on a busy shared machine wall time also counts the waiting.
    const cpuStarted = process.cpuUsage();
    const graph = await drawGraph(data);
    const used = process.cpuUsage(cpuStarted);
    cpu.push((used.user + used.system) / 1000);
    total.push(performance.now() - started);
    svg.push(graph.timings.svgMs);
    png.push(graph.timings.pngMs);
  }
  process.stdout.write(
    [
      `first graph of a process (module load, font parse, render): ${coldMs.toFixed(0)} ms; PNG ${cold.png.length} bytes`,
      describe('svg', svg, ''),
      describe('png', png, ''),
      describe('svg + png', total, ' (target ≤ 100 ms)'),
      describe('  CPU time', cpu, ' (the same renders, CPU only)'),
      `over ${RUNS} renders of an 800×400 graph, 4 series × ${POINTS} points, markers, threshold, 2 axes; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores (figures grow with it)`,
    ].join('\n') + '\n',
  );
}
