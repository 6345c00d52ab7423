import type { GraphSpec } from './graph-spec.js';
export const TOOL_STATUSES = ['success', 'no_data', 'error'] as const;
export type ToolStatus = (typeof TOOL_STATUSES)[number];

/** Metrics a tool needs that this cluster does not collect, and the setting that would collect them. */
export interface ToolMissing {
  metrics: string[];
  fix: string;
}

/** What a tool call returns, to a model (text) and to code (data). */
export interface ToolResult {
  toolset: string;
  tool: string;
  params: Record<string, unknown>;
  status: ToolStatus;
  /** Compact text for a model's context window. */
  text: string;
  /** Structured data for code (the investigator's checks). */
  data: unknown;
  /** The exact PromQL or API paths run. */
  requests: string[];
  /** Set when something was left out: what, and how to narrow the call to see it. */
  omitted?: { what: string; hint: string };
  error?: string;
  /** Set when the data was never collected here: a check reading it is inconclusive, not contradicted. */
  missing?: ToolMissing;
  /** The error is a source that did not answer (unreachable, timed out): the investigation is degraded. */
  unreachable?: boolean;
  durationMs: number;
  /** How to draw the time series behind the answer, when it is one. */
  graph?: GraphSpec;
  /** Size of the raw upstream responses, for measuring how compact `text` is. */
  rawBytes: number;
  /** The raw upstream bodies, kept only when the runner is asked to (benchmarks). */
  raw?: string[];
}
