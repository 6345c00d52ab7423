import type { AIMessage } from '@langchain/core/messages';
import type { PricedUsage } from './model-catalog.js';

export interface TokenUsage extends PricedUsage {
  /** The provider reported nothing (or the call timed out or was cut off): these are our figures. */
  estimated: boolean;
}

/**
 * The usage a provider reported on a reply (LangChain's usage_metadata), or undefined. Input is
 * the whole prompt: OpenAI's prompt_tokens (cached_tokens among them) and, for Anthropic,
 * input_tokens + cache_creation_input_tokens + cache_read_input_tokens, as LangChain sums them.
 */
export function readUsage(message: AIMessage): Omit<TokenUsage, 'estimated'> | undefined {
  const usage = message.usage_metadata;
  if (!usage || (usage.input_tokens === undefined && usage.output_tokens === undefined)) return undefined;
  return {
    inputTokens: usage.input_tokens ?? 0,
    cachedTokens: usage.input_token_details?.cache_read ?? 0,
    cacheWriteTokens: usage.input_token_details?.cache_creation ?? 0,
    outputTokens: usage.output_tokens ?? 0,
  };
}
