import type { GraphSpec } from '../core/graph-spec.js';
import type { ToolMissing, ToolStatus } from '../core/tool-result.js';
import type { KubeClient } from '../telemetry/kube-types.js';
import type { PrometheusClient } from '../telemetry/prometheus-types.js';
import type { SignalSpec, ToolsetSpec } from './toolset-schema.js';

/** What a tool implementation may use: the read-only clients, the clock and its toolset's data. */
export interface ToolContext {
  prometheus: PrometheusClient | undefined;
  kube: KubeClient | undefined;
  now(): Date;
  toolset: ToolsetSpec;
  /** Every signal of the loaded toolsets, by name. */
  signals: ReadonlyMap<string, SignalSpec>;
}

/** What an implementation hands back; the runner adds identity, timing and the size cap. */
export interface ToolOutput {
  status?: ToolStatus;
  text: string;
  data: unknown;
  requests: string[];
  raw: string[];
  omitted?: { what: string; hint: string };
  /** What this cluster does not collect, and how to turn it on: the answer is absence, not evidence. */
  missing?: ToolMissing;
  /** How to draw the time series behind the answer (a GraphSpec), for the evidence that cites it. */
  graph?: GraphSpec;
  /** Which end of the text the token cap keeps (default head); logs keep their newest lines. */
  keep?: 'head' | 'tail';
}

export type BuiltinTool = (params: Record<string, unknown>, context: ToolContext) => Promise<ToolOutput>;
