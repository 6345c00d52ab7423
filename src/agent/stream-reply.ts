import type { Runnable } from '@langchain/core/runnables';
import { AIMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { parsePartialJson } from '@langchain/core/output_parsers';

/** Text as the model writes it: prose, or the summary of a final answer being written. */
export interface ReplyDelta {
  kind: 'text' | 'answer';
  text: string;
}

/**
 * Streams a reply, handing on its text as it arrives (and the final answer's summary, read from
 * the partial JSON of its tool call), and returns the whole reply as one message with its tool
 * calls and usage, as a plain call would.
 */
export async function streamReply(
  runnable: Runnable<BaseMessage[], AIMessageChunk>,
  messages: BaseMessage[],
  options: { signal: AbortSignal; answerTool: string; onDelta: (delta: ReplyDelta) => void },
): Promise<AIMessage> {
  let whole: AIMessageChunk | undefined;
  let summary = '';
  for await (const chunk of await runnable.stream(messages, { signal: options.signal })) {
    whole = whole ? whole.concat(chunk) : chunk;
    if (typeof chunk.content === 'string') {
      if (chunk.content) options.onDelta({ kind: 'text', text: chunk.content });
    } else
      for (const part of chunk.content)
        if (typeof part === 'object' && 'text' in part && typeof part.text === 'string' && part.text)
          options.onDelta({ kind: 'text', text: part.text });
    const answer = whole.tool_call_chunks?.find((call) => call.name === options.answerTool);
    if (answer?.args) {
      let partial: unknown;
      try {
        partial = parsePartialJson(answer.args);
      } catch {
        partial = undefined;
      }
      const written = (partial as { summary?: unknown } | undefined)?.summary;
      if (typeof written === 'string' && written.length > summary.length && written.startsWith(summary)) {
        options.onDelta({ kind: 'answer', text: written.slice(summary.length) });
        summary = written;
      }
    }
  }
  if (!whole) throw new Error('The model answered with an empty stream.');
  // Text only: providers' streamed block lists (tool_use, input_json_delta) are not sent back as they are.
  const content = Array.isArray(whole.content)
    ? whole.content
        .map((part) => (typeof part === 'object' && 'text' in part && typeof part.text === 'string' ? part.text : ''))
        .join('')
    : whole.content;
  return new AIMessage({
    content,
    tool_calls: whole.tool_calls ?? [],
    invalid_tool_calls: whole.invalid_tool_calls ?? [],
    ...(whole.usage_metadata ? { usage_metadata: whole.usage_metadata } : {}),
    response_metadata: whole.response_metadata,
    ...(whole.id ? { id: whole.id } : {}),
  });
}
