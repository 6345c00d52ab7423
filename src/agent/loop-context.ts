import type { ToolResult } from '../core/tool-result.js';
import type { BudgetGuard } from './budget-guard.js';
import type { FailoverCaller } from './call-with-failover.js';
import type { SourceEntry } from './final-answer.js';
import type { ModelEntry } from './model-registry.js';
import type { StartingEvidence } from './starting-evidence.js';
import type { ReplyDelta } from './stream-reply.js';
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
  /** Definitions of the named tools, in one fixed order (so the prompt's prefix stays the same), final_answer last. */
  definitionsFor: (tools: string[]) => ToolDefinition[];
  /** final_answer alone, with the cause vocabulary of the loaded runbooks. */
  answerDefinition: ToolDefinition;
  /** Ids the final answer may cite: evidence items and tool calls. Filled as the loop goes. */
  sources: Map<string, SourceEntry>;
  /** Ids of the loaded runbooks: the cause vocabulary. */
  runbookIds: ReadonlySet<string>;
  maxToolOutputTokens: number;
  /** Summarise older turns beyond this many tokens. */
  compactAtTokens: number;
  /** max_tokens is not shrunk below this to fit a window. */
  minOutputTokens: number;
  /** Appends a step to the record and tells the caller (TTY progress). */
  step: (kind: string, data: Record<string, unknown>, durationMs?: number) => void;
  /** Tells the caller what is happening now (a call went out, a model was passed over); not recorded. */
  progress: (kind: string, data: Record<string, unknown>) => void;
  /** When set, replies are streamed and their text handed on as it is written. */
  onDelta?: ((delta: ReplyDelta) => void) | undefined;
}
