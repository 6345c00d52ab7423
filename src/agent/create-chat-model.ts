import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { ModelEntry } from './model-registry.js';

/** Makes a chat model for one entry and key; tests pass a factory of scripted models instead. */
export type ChatModelFactory = (
  entry: ModelEntry,
  apiKey: string | undefined,
) => BaseChatModel | Promise<BaseChatModel>;

/**
 * vLLM before 0.10 (and other OpenAI-compatible servers) answer an error as `{ object: "error",
 * message, … }` with no `error` key; the OpenAI SDK reads only `error` and says "400 status code
 * (no body)". Such a body is passed on as `{ error: body }`, so its message (a context-length
 * error, say) is seen and classified.
 */
export const fetchWithErrorBody: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const bare =
    typeof body === 'object' &&
    body !== null &&
    !('error' in body) &&
    typeof (body as { message?: unknown }).message === 'string';
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(bare ? JSON.stringify({ error: body }) : text, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
};

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
      streamUsage: true,
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
    configuration: { fetch: fetchWithErrorBody, ...(entry.baseUrl ? { baseURL: entry.baseUrl } : {}) },
  });
};
