import { BaseChatModel, type BaseChatModelParams } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

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

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const request: ScriptedRequest = { messages: [...messages], tools: this.tools, index: this.calls.length };
    // Tools are bound for one call (the loop binds before each): a call made without binding has none.
    this.tools = [];
    this.calls.push(request);
    const turn = this.turns.shift();
    if (turn === undefined) throw new Error(`The script has no turn left for call ${request.index + 1}.`);
    const reply = typeof turn === 'function' ? turn(request) : turn;
    if (reply instanceof Error) throw reply;
    this.replies.push(reply);
    const message = new AIMessage({
      content: reply.content ?? '',
      tool_calls: (reply.toolCalls ?? []).map((call) => ({
        name: call.name,
        args: call.args,
        id: call.id ?? `call_${nextCallId++}`,
        type: 'tool_call' as const,
      })),
      ...(reply.usage
        ? {
            usage_metadata: {
              input_tokens: reply.usage.input,
              output_tokens: reply.usage.output,
              total_tokens: reply.usage.input + reply.usage.output,
              input_token_details: { cache_read: reply.usage.cached ?? 0 },
            },
          }
        : {}),
    });
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }
}

/** An error shaped like the provider SDKs' (status, headers). */
export function providerError(status: number, message: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { status, headers });
}
