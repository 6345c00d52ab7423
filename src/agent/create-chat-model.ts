import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { ModelEntry } from './model-registry.js';

/** Makes a chat model for one entry and key; tests pass a factory of scripted models instead. */
export type ChatModelFactory = (
  entry: ModelEntry,
  apiKey: string | undefined,
) => BaseChatModel | Promise<BaseChatModel>;

/**
 * The provider's LangChain client with its own retries off: failover, backoff and key rotation
 * are Holmes's, so that every attempt is seen, guarded and metered.
 */
export const createChatModel: ChatModelFactory = async (entry, apiKey) => {
  if (entry.provider === 'anthropic') {
    const { ChatAnthropic } = await import('@langchain/anthropic');
    return new ChatAnthropic({
      model: entry.model,
      // The SDK refuses to start without a key; a proxy that needs none still gets a placeholder.
      apiKey: apiKey ?? 'none',
      maxTokens: entry.maxOutputTokens,
      maxRetries: 0,
      ...(entry.baseUrl ? { anthropicApiUrl: entry.baseUrl } : {}),
      clientOptions: { timeout: entry.timeoutMs },
    });
  }
  const { ChatOpenAI } = await import('@langchain/openai');
  return new ChatOpenAI({
    model: entry.model,
    apiKey: apiKey ?? 'none',
    maxTokens: entry.maxOutputTokens,
    maxRetries: 0,
    timeout: entry.timeoutMs,
    // Ask for usage on streams too; plain calls report it anyway.
    streamUsage: true,
    ...(entry.baseUrl ? { configuration: { baseURL: entry.baseUrl } } : {}),
  });
};
