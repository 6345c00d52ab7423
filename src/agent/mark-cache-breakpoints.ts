import { HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { messageText } from './count-message-tokens.js';
import type { ToolDefinition } from './tool-definitions.js';

const EPHEMERAL = { type: 'ephemeral' } as const;

/** An Anthropic tool definition; LangChain passes one that already has this shape through as it is. */
export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}

function marked(message: BaseMessage): BaseMessage {
  const text = messageText(message);
  // An empty text block is refused by the API: such a message is left as it is.
  if (!text) return message;
  const content = [{ type: 'text' as const, text, cache_control: EPHEMERAL }];
  if (ToolMessage.isInstance(message))
    return new ToolMessage({ tool_call_id: message.tool_call_id, status: message.status, content });
  if (SystemMessage.isInstance(message)) return new SystemMessage({ content });
  if (HumanMessage.isInstance(message)) return new HumanMessage({ content });
  return message;
}

/**
 * Anthropic caches a prompt's prefix (tools, then system, then messages) up to a block marked
 * `cache_control`. Two marks: the end of the starting evidence, which never changes within an
 * investigation (tools, instructions and evidence are read from the cache from the second call
 * on), and the latest message, so each turn reads what the previous one wrote.
 */
export function markCacheBreakpoints(
  messages: BaseMessage[],
  tools: ToolDefinition[],
): { messages: BaseMessage[]; tools: AnthropicTool[] } {
  const evidence = messages.findIndex((message) => !SystemMessage.isInstance(message));
  const marks = new Set([evidence, messages.length - 1].filter((index) => index >= 0));
  return {
    messages: messages.map((message, index) => (marks.has(index) ? marked(message) : message)),
    tools: tools.map((tool) => ({
      name: tool.function.name,
      description: tool.function.description,
      input_schema: tool.function.parameters,
    })),
  };
}
