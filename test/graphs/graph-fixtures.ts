import type { GraphSpec } from '../../src/core/graph-spec.js';
import type { GraphData, GraphLine, GraphPoint } from '../../src/graphs/graph-data.js';

export const START = Date.parse('2025-03-10T11:00:00Z');
export const STEP = 15;
export const POINTS = 241;

/** A spec over one hour at 15 s with the alert at 11:46 and the onset at 11:30. */
export function specFor(overrides: Partial<GraphSpec> = {}): GraphSpec {
  return {
    title: 'chat-api p99 TTFT vs GPU activity',
    unit: 's',
    start: '2025-03-10T11:00:00Z',
    end: '2025-03-10T12:00:00Z',
    stepSeconds: STEP,
    alertStart: '2025-03-10T11:46:00Z',
    onset: '2025-03-10T11:30:00Z',
    series: [{ query: 'up', legend: ['pod'] }],
    ...overrides,
  };
}

export function points(value: (index: number) => number | null): GraphPoint[] {
  return Array.from({ length: POINTS }, (_, index): GraphPoint => [START + index * STEP * 1000, value(index)]);
}

export function lineFor(
  name: string,
  value: (index: number) => number | null,
  extra: Partial<GraphLine> = {},
): GraphLine {
  return { name, axis: 'left', points: points(value), ...extra };
}

export function dataFor(
  lines: GraphLine[],
  overrides: Partial<GraphData> = {},
  spec: Partial<GraphSpec> = {},
): GraphData {
  return { spec: specFor(spec), lines, hidden: 0, requests: [], ...overrides };
}
