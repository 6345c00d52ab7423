import type { BaseMessage } from '@langchain/core/messages';
import { countMessageTokens } from './count-message-tokens.js';
import type { ModelEntry } from './model-registry.js';
import type { ToolDefinition } from './tool-definitions.js';

/** A request fitted to one model: input plus max_tokens inside its window. */
export interface PreparedRequest {
  messages: BaseMessage[];
  /** OpenAI-format function definitions; both providers accept them. */
  tools: ToolDefinition[];
  /** Input counted locally (o200k_base), before the model's estimate factor. */
  inputTokens: number;
  /** max_tokens of this call. */
  maxTokens: number;
  /** Tools left out to make room, least relevant first. */
  dropped: string[];
}

export interface FitOptions {
  messages: BaseMessage[];
  tools: ToolDefinition[];
  /** Tool names that may be left out, least relevant first; the others always stay. */
  droppable: string[];
  countTokens: (text: string) => number;
  /** The smallest max_tokens worth a call. */
  minOutputTokens: number;
  /** max_tokens wanted for this purpose (a summary needs less than a turn). */
  maxOutputTokens?: number;
}

/**
 * Fits a request to a model's window before it is sent: input (counted locally, times the model's
 * estimate factor) plus max_tokens must fit. max_tokens shrinks first, down to the floor; then the
 * least relevant tools are left out. What still does not fit is said, not sent.
 */
export function fitRequest(entry: ModelEntry, options: FitOptions): PreparedRequest | { unfit: string } {
  const { messages, countTokens } = options;
  const wanted = Math.min(entry.maxOutputTokens, options.maxOutputTokens ?? entry.maxOutputTokens);
  const floor = Math.min(options.minOutputTokens, wanted);
  let tools = options.tools;
  const dropped: string[] = [];
  const room = (inputTokens: number) => entry.contextWindow - Math.ceil(inputTokens * entry.inputEstimateFactor);
  let inputTokens = countMessageTokens(messages, tools, countTokens);
  const fitted = () => ({ messages, tools, inputTokens, maxTokens: Math.min(wanted, room(inputTokens)), dropped });
  if (room(inputTokens) >= floor) return fitted();
  for (const name of options.droppable) {
    if (!tools.some((tool) => tool.function.name === name)) continue;
    tools = tools.filter((tool) => tool.function.name !== name);
    dropped.push(name);
    inputTokens = countMessageTokens(messages, tools, countTokens);
    if (room(inputTokens) >= floor) return fitted();
  }
  return {
    unfit: `needs about ${Math.ceil(inputTokens * entry.inputEstimateFactor)} input + ${floor} output tokens, more than its ${entry.contextWindow}-token window${dropped.length > 0 ? ` even without ${dropped.length} tools` : ''}`,
  };
}
