import { BaseChatModel, type BaseChatModelParams } from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';

export interface ScriptedReply {
  content?: string;
  toolCalls?: Array<{ name: string; args: Record<string, unknown>; id?: string }>;
  /** What the "provider" reports; omitted means no usage reported. */
  usage?: { input: number; output: number; cached?: number };
}

/** A turn: a reply, a function of the request (to use what tools returned), or an error to throw. */
export type ScriptedTurn = ScriptedReply | Error | ((request: ScriptedRequest) => ScriptedReply | Error);

export interface ScriptedRequest {
  messages: BaseMessage[];
  tools: unknown[];
  /** Index of this call among all calls of the model. */
  index: number;
}

let nextCallId = 1;

/**
 * A chat model that plays a script: each call returns the next turn as an AIMessage with
 * tool_calls and usage_metadata, and is recorded (messages and bound tools) for assertions.
 */
export class ScriptedChatModel extends BaseChatModel {
  readonly calls: ScriptedRequest[] = [];
  private tools: unknown[] = [];
  private readonly turns: ScriptedTurn[];

  constructor(turns: ScriptedTurn[], fields: BaseChatModelParams = {}) {
    super(fields);
    this.turns = [...turns];
  }

  _llmType(): string {
    return 'scripted';
  }

  /** Usage reported so far, summed over the replies the script gave. */
  get reported(): { input: number; output: number } {
    return this.replies.reduce(
      (sum, reply) => ({
        input: sum.input + (reply.usage?.input ?? 0),
        output: sum.output + (reply.usage?.output ?? 0),
      }),
      { input: 0, output: 0 },
    );
  }

  readonly replies: ScriptedReply[] = [];

  get remaining(): number {
    return this.turns.length;
  }

  override bindTools(tools: unknown[]): this {
    this.tools = tools;
    return this;
  }

  /** The next turn of the script, for this request (recorded). */
  private next(messages: BaseMessage[]): ScriptedReply {
    const request: ScriptedRequest = { messages: [...messages], tools: this.tools, index: this.calls.length };
    // Tools are bound for one call (the loop binds before each): a call made without binding has none.
    this.tools = [];
    this.calls.push(request);
    const turn = this.turns.shift();
    if (turn === undefined) throw new Error(`The script has no turn left for call ${request.index + 1}.`);
    const reply = typeof turn === 'function' ? turn(request) : turn;
    if (reply instanceof Error) throw reply;
    this.replies.push(reply);
    return reply;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const reply = this.next(messages);
    const message = new AIMessage({
      content: reply.content ?? '',
      tool_calls: (reply.toolCalls ?? []).map((call) => ({
        name: call.name,
        args: call.args,
        id: call.id ?? `call_${nextCallId++}`,
        type: 'tool_call' as const,
      })),
      ...(reply.usage ? { usage_metadata: usageMetadata(reply.usage) } : {}),
    });
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }

  /** Streams the reply as a provider would: text in pieces, each tool call's JSON arguments in pieces, usage last. */
  override async *_streamResponseChunks(messages: BaseMessage[]): AsyncGenerator<ChatGenerationChunk> {
    const reply = this.next(messages);
    const piece = (text: string, size: number) =>
      Array.from({ length: Math.ceil(text.length / size) }, (_, index) => text.slice(index * size, (index + 1) * size));
    for (const text of piece(reply.content ?? '', 7))
      yield new ChatGenerationChunk({ text, message: new AIMessageChunk({ content: text }) });
    for (const [index, call] of (reply.toolCalls ?? []).entries()) {
      const id = call.id ?? `call_${nextCallId++}`;
      for (const [position, args] of piece(JSON.stringify(call.args), 11).entries())
        yield new ChatGenerationChunk({
          text: '',
          message: new AIMessageChunk({
            content: '',
            tool_call_chunks: [
              { index, type: 'tool_call_chunk', args, ...(position === 0 ? { id, name: call.name } : {}) },
            ],
          }),
        });
    }
    if (reply.usage)
      yield new ChatGenerationChunk({
        text: '',
        message: new AIMessageChunk({ content: '', usage_metadata: usageMetadata(reply.usage) }),
      });
  }
}

function usageMetadata(usage: NonNullable<ScriptedReply['usage']>) {
  return {
    input_tokens: usage.input,
    output_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    input_token_details: { cache_read: usage.cached ?? 0 },
  };
}

/** An error shaped like the provider SDKs' (status, headers). */
export function providerError(status: number, message: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { status, headers });
}
