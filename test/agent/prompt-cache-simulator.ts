import type { BaseMessage } from '@langchain/core/messages';
import { AIMessage, ToolMessage } from '@langchain/core/messages';
import { messageText } from '../../src/agent/count-message-tokens.js';

/** OpenAI's documented rules: prompts of 1024 tokens or more are cached, hits come in 128-token increments. */
const MIN_CACHED = 1_024;
const INCREMENT = 128;

/** A request as the provider sees its prefix: tool definitions first, then the messages in order. */
function render(request: { messages: BaseMessage[]; tools: unknown[] }): string {
  const messages = request.messages.map((message) => {
    const calls = AIMessage.isInstance(message) && message.tool_calls?.length ? JSON.stringify(message.tool_calls) : '';
    const id = ToolMessage.isInstance(message) ? ` ${message.tool_call_id}` : '';
    return `<|${message.getType()}${id}|>${messageText(message)}${calls}`;
  });
  return `${JSON.stringify(request.tools)}${messages.join('')}`;
}

function commonPrefix(left: number[], right: number[]): number {
  const most = Math.min(left.length, right.length);
  let length = 0;
  while (length < most && left[length] === right[length]) length += 1;
  return length;
}

/**
 * Automatic prompt caching as OpenAI documents it, for scripted runs: each request reads from the
 * cache the longest prefix it shares with an earlier request (1024 tokens at least, then in steps
 * of 128). It measures how stable the loop keeps its prefix; it says nothing about a real model.
 */
export function createPromptCacheSimulator(encode: (text: string) => number[]) {
  const seen: number[][] = [];
  return {
    /** Cached tokens of this request (at most `inputTokens`); the request is remembered for later ones. */
    read(request: { messages: BaseMessage[]; tools: unknown[] }, inputTokens: number): number {
      const tokens = encode(render(request));
      const shared = seen.reduce((best, earlier) => Math.max(best, commonPrefix(earlier, tokens)), 0);
      seen.push(tokens);
      if (shared < MIN_CACHED) return 0;
      return Math.min(inputTokens, MIN_CACHED + Math.floor((shared - MIN_CACHED) / INCREMENT) * INCREMENT);
    },
  };
}
