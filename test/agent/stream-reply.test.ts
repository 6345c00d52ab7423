import { HumanMessage } from '@langchain/core/messages';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatModel } from '../../src/agent/create-chat-model.js';
import { createModelRegistry } from '../../src/agent/model-registry.js';
import { readUsage } from '../../src/agent/read-usage.js';
import { streamReply, type ReplyDelta } from '../../src/agent/stream-reply.js';
import { configSchema } from '../../src/config/config-schema.js';

const OPENAI = 'http://127.0.0.1:9';

/**
 * A streamed chat completion as the OpenAI API sends it (platform.openai.com/docs/api-reference/chat-streaming):
 * `chat.completion.chunk` events with deltas, tool call arguments in pieces, then (stream_options.include_usage)
 * a last chunk with no choices and the usage, then [DONE].
 */
function sse(): string {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id: 'chatcmpl-Str3am',
    object: 'chat.completion.chunk',
    created: 1761900000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const args = JSON.stringify({ cause: 'gpu-noisy-neighbor', summary: 'embed-batch time-slices GPU 3.' });
  const events = [
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: 'The GPU ' }),
    chunk({ content: 'is shared.' }),
    chunk({
      tool_calls: [{ index: 0, id: 'call_Ans', type: 'function', function: { name: 'final_answer', arguments: '' } }],
    }),
    ...[args.slice(0, 25), args.slice(25, 60), args.slice(60)].map((piece) =>
      chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }),
    ),
    chunk({}, 'tool_calls'),
    {
      id: 'chatcmpl-Str3am',
      object: 'chat.completion.chunk',
      created: 1761900000,
      model: 'gpt-4o-mini-2024-07-18',
      choices: [],
      usage: {
        prompt_tokens: 2_210,
        completion_tokens: 61,
        total_tokens: 2_271,
        prompt_tokens_details: { cached_tokens: 1_920 },
      },
    },
  ];
  return `${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('')}data: [DONE]\n\n`;
}

describe('streamReply (OpenAI chat completions stream on the wire)', () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('hands on the text and the answer as written, and returns the whole reply with its tool call and usage', async () => {
    let body: Record<string, unknown> = {};
    nock(OPENAI)
      .post('/v1/chat/completions')
      .reply(function reply(_uri, sent) {
        body = sent as Record<string, unknown>;
        return [200, sse(), { 'content-type': 'text/event-stream' }];
      });
    const [entry] = createModelRegistry(
      configSchema.parse({ models: [{ provider: 'openai', model: 'gpt-4o-mini', baseUrl: `${OPENAI}/v1` }] }),
    ).entries;
    const model = await createChatModel(entry!, 'sk-test');
    const deltas: ReplyDelta[] = [];
    const reply = await streamReply(model as never, [new HumanMessage('Why is chat-api slow?')], {
      signal: AbortSignal.timeout(5_000),
      answerTool: 'final_answer',
      onDelta: (delta) => deltas.push(delta),
    });
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const written = (kind: string) =>
      deltas
        .filter((delta) => delta.kind === kind)
        .map((delta) => delta.text)
        .join('');
    expect(written('text')).toBe('The GPU is shared.');
    expect(written('answer')).toBe('embed-batch time-slices GPU 3.');
    expect(deltas.filter((delta) => delta.kind === 'answer').length).toBeGreaterThan(1);
    expect(reply.content).toBe('The GPU is shared.');
    expect(reply.tool_calls).toEqual([
      expect.objectContaining({
        id: 'call_Ans',
        name: 'final_answer',
        args: { cause: 'gpu-noisy-neighbor', summary: 'embed-batch time-slices GPU 3.' },
      }),
    ]);
    expect(readUsage(reply)).toEqual({
      inputTokens: 2_210,
      cachedTokens: 1_920,
      cacheWriteTokens: 0,
      outputTokens: 61,
    });
  });
});
