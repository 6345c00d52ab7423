import type { ToolResult } from '../core/tool-result.js';
import type { BudgetGuard } from './budget-guard.js';
import type { FailoverCaller } from './call-with-failover.js';
import type { SourceEntry } from './final-answer.js';
import type { ModelEntry } from './model-registry.js';
import type { StartingEvidence } from './starting-evidence.js';
import type { ToolDefinition } from './tool-definitions.js';

/** Everything the graph's nodes share that is not state: clients, guard, limits, the record. */
export interface LoopContext {
  guard: BudgetGuard;
  caller: FailoverCaller;
  entries: ModelEntry[];
  countTokens: (text: string) => number;
  /** Builds the starting evidence (the graph's first node runs it). */
  start: () => Promise<StartingEvidence>;
  /** Runs a toolset or runbook tool; never throws. */
  runTool: (name: string, params: Record<string, unknown>) => Promise<ToolResult>;
  /** Tool definitions for a turn, given the toolsets the evidence chose (undefined: all). */
  definitionsFor: (toolsets: string[] | undefined) => ToolDefinition[];
  /** Ids the final answer may cite: evidence items and tool calls. Filled as the loop goes. */
  sources: Map<string, SourceEntry>;
  runbookIds: ReadonlySet<string>;
  maxToolOutputTokens: number;
  /** Summarise older turns beyond this many tokens. */
  compactAtTokens: number;
  /** Appends a step to the record and tells the caller (TTY progress). */
  step: (kind: string, data: Record<string, unknown>, durationMs?: number) => void;
}
