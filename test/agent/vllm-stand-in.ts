import { createServer, type Server } from 'node:http';
import { getEncoding } from 'js-tiktoken';

/** A request body as an OpenAI-compatible server receives it. */
export interface ChatBody {
  model: string;
  max_tokens?: number;
  stream?: boolean;
  messages: Array<{
    role: string;
    content: string | Array<{ type: string; text?: string }> | null;
    tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
    tool_call_id?: string;
  }>;
  tools?: Array<{ type: 'function'; function: { name: string } }>;
}

export interface StandInReply {
  content?: string;
  toolCalls?: Array<{ id: string; name: string; args: Record<string, unknown> }>;
}

export interface VllmStandInOptions {
  /** vLLM's --max-model-len. */
  maxModelLen: number;
  /** The reply to a request that fits. */
  reply: (body: ChatBody, index: number) => StandInReply;
  /** `current`: vLLM 0.10+ (`{ error: {…} }`); `legacy`: earlier versions (`{ object: "error", message, … }`). */
  errorShape?: 'current' | 'legacy';
}

export interface VllmStandIn {
  url: string;
  bodies: ChatBody[];
  /** Context-length errors answered. */
  overflows: number;
  close(): Promise<void>;
}

// A tokenizer other than the agent's (o200k_base): a self-hosted model never counts as the agent does.
const encoder = getEncoding('cl100k_base');
/** Chat-template tokens around each message (role header and end marker). */
const TEMPLATE_TOKENS_PER_MESSAGE = 5;

export function textOf(content: ChatBody['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('');
}

function promptTokens(body: ChatBody): number {
  const messages = body.messages.reduce(
    (sum, message) =>
      sum +
      TEMPLATE_TOKENS_PER_MESSAGE +
      encoder.encode(textOf(message.content)).length +
      (message.tool_calls ? encoder.encode(JSON.stringify(message.tool_calls)).length : 0),
    0,
  );
  return messages + (body.tools ? encoder.encode(JSON.stringify(body.tools)).length : 0);
}

/** vLLM's own wording for a prompt plus max_tokens beyond --max-model-len, in either of its body shapes. */
function overflowBody(shape: 'current' | 'legacy', maxModelLen: number, prompt: number, maxTokens: number) {
  if (shape === 'legacy')
    return {
      object: 'error',
      message: `This model's maximum context length is ${maxModelLen} tokens. However, you requested ${prompt + maxTokens} tokens (${prompt} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`,
      type: 'BadRequestError',
      param: null,
      code: 400,
    };
  return {
    error: {
      message: `'max_tokens' or 'max_completion_tokens' is too large: ${maxTokens}. This model's maximum context length is ${maxModelLen} tokens and your request has ${prompt} input tokens (${maxTokens} > ${maxModelLen} - ${prompt}).`,
      type: 'BadRequestError',
      param: null,
      code: 400,
    },
  };
}

/**
 * An OpenAI-compatible server on loopback that behaves like vLLM at its context limit: it counts
 * the prompt with its own tokenizer and refuses a request whose prompt plus max_tokens passes
 * --max-model-len with vLLM's 400 body; a request that fits gets the scripted reply, with usage.
 */
export async function startVllmStandIn(options: VllmStandInOptions): Promise<VllmStandIn> {
  const state = { overflows: 0 };
  const bodies: ChatBody[] = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      const body = JSON.parse(text) as ChatBody;
      bodies.push(body);
      const prompt = promptTokens(body);
      const maxTokens = body.max_tokens ?? options.maxModelLen - prompt;
      if (prompt + maxTokens > options.maxModelLen) {
        state.overflows += 1;
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify(overflowBody(options.errorShape ?? 'current', options.maxModelLen, prompt, maxTokens)),
        );
        return;
      }
      const reply = options.reply(body, bodies.length - 1);
      const calls = (reply.toolCalls ?? []).map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.args) },
      }));
      const completion = encoder.encode(`${reply.content ?? ''}${JSON.stringify(calls)}`).length;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: `chatcmpl-${bodies.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: reply.content ?? null,
                ...(calls.length ? { tool_calls: calls } : {}),
              },
              finish_reason: calls.length ? 'tool_calls' : 'stop',
            },
          ],
          usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`,
    bodies,
    get overflows() {
      return state.overflows;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
