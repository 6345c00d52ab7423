import type { AIMessage } from '@langchain/core/messages';

export interface TokenUsage {
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  /** The provider reported nothing; these were counted locally. */
  estimated: boolean;
}

/** The usage a provider reported on a reply (LangChain's usage_metadata), or undefined. */
export function readUsage(message: AIMessage): Omit<TokenUsage, 'estimated'> | undefined {
  const usage = message.usage_metadata;
  if (!usage || (usage.input_tokens === undefined && usage.output_tokens === undefined)) return undefined;
  return {
    inputTokens: usage.input_tokens ?? 0,
    cachedTokens: usage.input_token_details?.cache_read ?? 0,
    outputTokens: usage.output_tokens ?? 0,
  };
}
