import type { BaseMessage } from '@langchain/core/messages';
import { AIMessage } from '@langchain/core/messages';

/** What a message costs beyond its text (role, separators), as OpenAI documents for chat models. */
const PER_MESSAGE = 4;
const PRIMING = 3;

export function messageText(message: BaseMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  return content
    .map((part) =>
      typeof part === 'string'
        ? part
        : part.type === 'text' && 'text' in part
          ? String(part.text)
          : JSON.stringify(part),
    )
    .join('\n');
}

/** Tokens of one message: text plus any tool calls it makes. */
export function countMessage(message: BaseMessage, countTokens: (text: string) => number): number {
  const calls =
    AIMessage.isInstance(message) && message.tool_calls?.length
      ? countTokens(JSON.stringify(message.tool_calls.map((call) => ({ name: call.name, args: call.args }))))
      : 0;
  return PER_MESSAGE + countTokens(messageText(message)) + calls;
}

/** Input tokens of a request, counted locally (o200k_base): messages and the tool definitions. */
export function countMessageTokens(
  messages: BaseMessage[],
  tools: unknown[],
  countTokens: (text: string) => number,
): number {
  const toolTokens = tools.length > 0 ? countTokens(JSON.stringify(tools)) : 0;
  return PRIMING + toolTokens + messages.reduce((sum, message) => sum + countMessage(message, countTokens), 0);
}
