import { Annotation } from '@langchain/langgraph';
import type { BaseMessage } from '@langchain/core/messages';
import type { ResolvedAnswer } from './final-answer.js';

export type LoopStatus = 'running' | 'completed' | 'budget-exceeded' | 'degraded' | 'failed';

const replace = <T>(initial: () => T) => Annotation<T>({ reducer: (_current: T, next: T) => next, default: initial });

/**
 * The loop's state. Messages are replaced, not appended, because compaction rewrites history;
 * clients, guard and records live in the loop context, outside the (serialisable) state.
 */
export const AgentState = Annotation.Root({
  messages: replace<BaseMessage[]>(() => []),
  status: replace<LoopStatus>(() => 'running'),
  answer: replace<ResolvedAnswer | null>(() => null),
  /** Why the loop stopped early (budget refusal, model failure, no structured answer). */
  stopReason: replace<string | null>(() => null),
  /** Reminders sent after replies without a structured answer. */
  reminders: replace<number>(() => 0),
  /** Tools whose results the next model call reads: its cost is attributed to them too. */
  toolsRead: replace<string[]>(() => []),
  /** Tools offered to the model, most relevant first (chosen once, so the prompt's prefix stays the same). */
  offered: replace<string[]>(() => []),
  /** No model could take the request: summarise older turns now, whatever the threshold. */
  compactNeeded: replace<boolean>(() => false),
  /** The tool-call cap was reached: only final_answer is offered from now on. */
  toolsClosed: replace<boolean>(() => false),
});

export type AgentStateValue = typeof AgentState.State;
export type AgentStateUpdate = typeof AgentState.Update;
