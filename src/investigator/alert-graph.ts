import type { GraphSpec } from '../core/graph-spec.js';
import { alertSignal } from '../toolsets/signals/alert-signal.js';
import { graphStep, toolGraph } from '../toolsets/signals/tool-graph.js';

// Without a cause's graph to align with, the symptom is drawn over the three hours before now.
const LOOK_BACK_MS = 3 * 3_600_000;

export interface AlertGraphInput {
  /** The alert's rule expression (alertExpression), untrusted. */
  expression: string | undefined;
  alertname: string | undefined;
  alertStartMs: number;
  nowMs: number;
  /** The root cause's graphs, most telling first. */
  causeGraphs: GraphSpec[];
}

/**
 * The alert's own symptom (its rule expression without the comparison, with the rule's threshold)
 * over the range and onset of the cause's first graph, so the reader sees the symptom start with
 * the cause. Nothing when a cause graph already draws the symptom, or the rule cannot be read.
 */
export function alertGraph(input: AlertGraphInput): GraphSpec | undefined {
  const signal = alertSignal(input.expression);
  if (!signal) return undefined;
  if (input.causeGraphs.some((graph) => graph.series.some((series) => series.query === signal.query))) return undefined;
  const first = input.causeGraphs[0];
  const startMs = first ? Date.parse(first.start) : input.alertStartMs - LOOK_BACK_MS;
  const endMs = first ? Date.parse(first.end) : input.nowMs;
  const name = input.alertname?.trim() || 'the alert';
  return toolGraph({
    title: `${name}: the alert's own expression`,
    unit: signal.unit,
    startMs,
    endMs,
    stepSeconds: first?.stepSeconds ?? graphStep(startMs, endMs),
    alertStartMs: input.alertStartMs,
    onset: first?.onset,
    threshold: signal.threshold,
    series: [{ query: signal.query, legend: name.slice(0, 80), role: 'victim' }],
  });
}

/** The cause's graphs with the alert's symptom second: the cause's most telling graph stays first. */
export function withAlertGraph(causeGraphs: GraphSpec[], input: Omit<AlertGraphInput, 'causeGraphs'>): GraphSpec[] {
  const symptom = alertGraph({ ...input, causeGraphs });
  if (!symptom) return causeGraphs;
  return [...causeGraphs.slice(0, 1), symptom, ...causeGraphs.slice(1)];
}
