import { describe, expect, it } from 'vitest';
import type { GraphSpec } from '../../src/core/graph-spec.js';
import { alertGraph, withAlertGraph } from '../../src/investigator/alert-graph.js';

const NOW = Date.parse('2026-12-02T17:00:00Z');
const ALERT = NOW - 12 * 60_000;
const RULE = 'histogram_quantile(0.95, sum by (le) (rate(vllm:inter_token_latency_seconds_bucket[5m])))';

const cause = (title: string, query: string, onset?: string): GraphSpec => ({
  title,
  unit: 'mhz',
  start: new Date(NOW - 4 * 3_600_000).toISOString(),
  end: new Date(NOW).toISOString(),
  stepSeconds: 30,
  alertStart: new Date(ALERT).toISOString(),
  ...(onset ? { onset } : {}),
  series: [{ query, legend: ['gpu'], role: 'victim' }],
});

const input = (causeGraphs: GraphSpec[], expression = `${RULE} > 0.06`) => ({
  expression,
  alertname: 'ITLHigh',
  alertStartMs: ALERT,
  nowMs: NOW,
  causeGraphs,
});

describe('alertGraph', () => {
  it("draws the rule's signal over the first cause graph's range and onset, with the rule's threshold", () => {
    const onset = new Date(NOW - 20 * 60_000).toISOString();
    const clock = cause('SM clock', 'DCGM_FI_DEV_SM_CLOCK', onset);
    expect(alertGraph(input([clock]))).toEqual({
      title: "ITLHigh: the alert's own expression",
      unit: 's',
      start: clock.start,
      end: clock.end,
      stepSeconds: 30,
      alertStart: clock.alertStart,
      onset,
      threshold: { value: 0.06, label: 'alert fires >' },
      series: [{ query: RULE, legend: 'ITLHigh', role: 'victim' }],
    });
  });

  it('covers the three hours before now when the cause has no graph', () => {
    const graph = alertGraph(input([]))!;
    expect([graph.start, graph.end]).toEqual([
      new Date(ALERT - 3 * 3_600_000).toISOString(),
      new Date(NOW).toISOString(),
    ]);
    expect(graph.onset).toBeUndefined();
  });

  it('gives nothing when a cause graph draws the rule already, or the rule is missing or broken', () => {
    expect(alertGraph(input([cause('symptom vs neighbour', RULE)]))).toBeUndefined();
    expect(alertGraph({ ...input([]), expression: undefined })).toBeUndefined();
    expect(alertGraph(input([], 'rate(x[5m] > 1'))).toBeUndefined();
  });
});

describe('withAlertGraph', () => {
  it("puts the symptom second, after the cause's most telling graph", () => {
    const graphs = [cause('first', 'a'), cause('second', 'b')];
    expect(withAlertGraph(graphs, input([])).map((graph) => graph.title)).toEqual([
      'first',
      "ITLHigh: the alert's own expression",
      'second',
    ]);
    expect(withAlertGraph(graphs, { ...input([]), expression: undefined })).toBe(graphs);
  });
});
