import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/agent/create-agent.js';
import { countMessageTokens } from '../../src/agent/count-message-tokens.js';
import { fitRequest } from '../../src/agent/fit-request.js';
import { createModelRegistry } from '../../src/agent/model-registry.js';
import { toolDefinition } from '../../src/agent/tool-definitions.js';
import { configSchema } from '../../src/config/config-schema.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { loadTokenCounter } from '../../src/toolsets/count-tokens.js';
import { ALERT, createFakeInvestigator, finalAnswer } from './fake-investigator.js';
import { startVllmStandIn, type ChatBody, type VllmStandIn } from './vllm-stand-in.js';

const countTokens = await loadTokenCounter();

const tool = (name: string, words: number) =>
  toolDefinition(name, `${name} ${'reads a thing '.repeat(words)}`, { type: 'object', properties: {} });

describe('fitRequest', () => {
  const [entry] = createModelRegistry(
    configSchema.parse({
      models: [{ provider: 'openai', model: 'small', contextWindow: 2_000, maxOutputTokens: 1_000 }],
    }),
  ).entries;
  const messages = [new SystemMessage('You investigate.'), new HumanMessage('evidence '.repeat(900))];
  const tools = [tool('wide', 60), tool('narrow', 30), tool('final_answer', 10)];
  const options = { messages, tools, droppable: ['wide', 'narrow'], countTokens, minOutputTokens: 300 };

  it('shrinks max_tokens to what the window leaves, down to the floor', () => {
    const fitted = fitRequest(entry!, options);
    if ('unfit' in fitted) throw new Error(fitted.unfit);
    expect(fitted.dropped).toEqual([]);
    expect(fitted.maxTokens).toBeLessThan(1_000);
    expect(fitted.maxTokens).toBeGreaterThanOrEqual(300);
    expect(Math.ceil(fitted.inputTokens * entry!.inputEstimateFactor) + fitted.maxTokens).toBe(2_000);
  });

  it('then leaves out the least relevant tools, keeping the ones not droppable', () => {
    // Room for the request without the widest tool and the floor of output, not for all of it.
    const withoutWide = countMessageTokens(messages, tools.slice(1), countTokens);
    const contextWindow = Math.ceil(withoutWide * entry!.inputEstimateFactor) + 300 + 5;
    const fitted = fitRequest({ ...entry!, contextWindow }, options);
    if ('unfit' in fitted) throw new Error(fitted.unfit);
    expect(fitted.dropped).toEqual(['wide']);
    expect(fitted.tools.map((definition) => definition.function.name)).toEqual(['narrow', 'final_answer']);
    expect(fitted.maxTokens).toBeGreaterThanOrEqual(300);
  });

  it('says what does not fit rather than sending it', () => {
    const fitted = fitRequest({ ...entry!, contextWindow: 1_000 }, options);
    expect(fitted).toEqual({
      unfit: expect.stringMatching(
        /^needs about \d+ input \+ 300 output tokens, more than its 1000-token window even without 2 tools$/,
      ),
    });
  });
});

describe('a small self-hosted model on the wire (vLLM stand-in)', () => {
  let server: VllmStandIn | undefined;
  let db: Db | undefined;
  afterEach(async () => {
    db?.close();
    await server?.close();
  });

  /** Looks at GPU sharing, then answers citing it. */
  const reply = (body: ChatBody) =>
    body.messages.some((message) => message.role === 'tool')
      ? { toolCalls: [{ id: 'call_ans', ...finalAnswer(['call_share']) }] }
      : { toolCalls: [{ id: 'call_share', name: 'gpu_sharing', args: { namespace: 'llm' } }] };

  async function investigate(maxModelLen: number, model: Record<string, unknown>, errorShape: 'current' | 'legacy') {
    server = await startVllmStandIn({ maxModelLen, errorShape, reply });
    db = openDatabase({ path: ':memory:' });
    const config = configSchema.parse({
      models: [{ provider: 'openai', model: 'llama3.1:8b', baseUrl: server.url, ...model }],
    });
    const agent = await createAgent(config, { investigator: await createFakeInvestigator(), db });
    const result = await agent.investigate(ALERT);
    return { result, record: await agent.records.get(result.id), entry: agent.entries[0]! };
  }

  it('fits every request to a window it knows: max_tokens shrunk, no provider error', async () => {
    const { result } = await investigate(2_600, { contextWindow: 2_600 }, 'current');
    expect(result.status).toBe('completed');
    expect(server!.overflows).toBe(0);
    for (const body of server!.bodies) expect(body.max_tokens).toBeLessThan(4_096);
  });

  it.each(['current', 'legacy'] as const)(
    "reads vLLM's context-length error (%s body), learns the window it names and retries once, smaller",
    async (shape) => {
      // The window is not configured: 8192 is assumed, the server has 2600.
      const { result, record, entry } = await investigate(2_600, {}, shape);
      expect(result.status).toBe('completed');
      expect(server!.overflows).toBe(1);
      expect(entry.contextWindow).toBe(2_600);
      const first = record.steps.find((step) => step.kind === 'model-call')!.data as {
        attempts: Array<{ outcome: string; message?: string }>;
      };
      expect(first.attempts.map((attempt) => attempt.outcome)).toEqual(['context-length', 'ok']);
      // The SDK shows the server's words, not "400 status code (no body)".
      expect(first.attempts[0]!.message).toMatch(/maximum context length is 2600 tokens/);
      expect(server!.bodies[1]!.max_tokens).toBeLessThan(server!.bodies[0]!.max_tokens!);
    },
  );
});
