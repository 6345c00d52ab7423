import { getEncoding } from 'js-tiktoken';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/agent/create-agent.js';
import { countMessageTokens } from '../../src/agent/count-message-tokens.js';
import { configSchema } from '../../src/config/config-schema.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createServerMetrics } from '../../src/server/server-metrics.js';
import { loadTokenCounter } from '../../src/toolsets/count-tokens.js';
import { createHarness, type Harness } from './agent-harness.js';
import { ALERT, createFakeInvestigator, finalAnswer } from './fake-investigator.js';
import { createPromptCacheSimulator } from './prompt-cache-simulator.js';
import { replay, type SeenRequest } from './provider-fixtures.js';
import type { ScriptedReply, ScriptedRequest } from './scripted-chat-model.js';

// Loopback origin with no listener: nock answers before anything leaves the process.
const ANTHROPIC = 'http://127.0.0.1:7';
const EPHEMERAL = { type: 'ephemeral' };

type Block = { type: string; text?: string; cache_control?: unknown; content?: Block[] | string };
type Body = {
  system: Block[] | string;
  tools: unknown[];
  messages: Array<{ role: string; content: Block[] | string }>;
};

/** The blocks of a message marked for caching, tool results' inner blocks included. */
const marked = (message: Body['messages'][number]) =>
  (Array.isArray(message.content) ? message.content : []).flatMap((block) => [
    ...(block.cache_control ? [block] : []),
    ...(Array.isArray(block.content) ? block.content.filter((inner) => inner.cache_control) : []),
  ]);

describe('prompt caching with Anthropic (Messages API on the wire)', () => {
  let db: Db;
  beforeEach(() => {
    nock.disableNetConnect();
    db = openDatabase({ path: ':memory:' });
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    db.close();
  });

  it('marks the static prefix and the latest turn, keeps that prefix identical, and prices cache writes and reads', async () => {
    const seen: SeenRequest[] = [];
    replay(ANTHROPIC, '/v1/messages', 'anthropic-messages-cache-write', seen);
    replay(ANTHROPIC, '/v1/messages', 'anthropic-messages-final-answer-cached', seen);
    const config = configSchema.parse({
      models: [{ provider: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: ANTHROPIC, apiKeys: [{ env: 'KEY' }] }],
    });
    const agent = await createAgent(config, {
      investigator: await createFakeInvestigator(),
      db,
      env: { KEY: 'sk-ant-test' },
    });
    const result = await agent.investigate(ALERT);
    expect(result.status).toBe('completed');
    const [first, second] = seen.map((request) => request.body as unknown as Body);
    // Tools, system prompt and starting evidence: byte for byte the same on the second call.
    expect(second!.tools).toEqual(first!.tools);
    expect(second!.system).toEqual(first!.system);
    expect(second!.messages[0]).toEqual(first!.messages[0]);
    expect(marked(first!.messages[0]!)).toEqual([expect.objectContaining({ cache_control: EPHEMERAL })]);
    // The latest turn (the tool result) is marked too, so the next call reads it from the cache.
    expect(second!.messages.at(-1)!.role).toBe('user');
    expect(marked(second!.messages.at(-1)!)).toEqual([expect.objectContaining({ cache_control: EPHEMERAL })]);
    const rows = db
      .prepare(
        `SELECT input_tokens AS input, cached_tokens AS cached, cache_write_tokens AS written, output_tokens AS output, usd FROM usage_events WHERE kind = 'model' ORDER BY id`,
      )
      .all() as Array<{ input: number; cached: number; written: number; output: number; usd: number }>;
    // claude-sonnet-4-5 in the catalog: $3 input, $3.75 cache write, $0.30 cache read, $15 output per 1M.
    expect(rows).toEqual([
      {
        input: 312 + 2_480,
        cached: 0,
        written: 2_480,
        output: 58,
        usd: expect.closeTo((312 * 3 + 2_480 * 3.75 + 58 * 15) / 1e6, 12),
      },
      {
        input: 406 + 390 + 2_480,
        cached: 2_480,
        written: 390,
        output: 244,
        usd: expect.closeTo((406 * 3 + 390 * 3.75 + 2_480 * 0.3 + 244 * 15) / 1e6, 12),
      },
    ]);
    expect(result.usage.usd).toBeCloseTo(rows[0]!.usd + rows[1]!.usd, 12);
    const metrics = createServerMetrics({ spend: { ledger: agent.ledger, budget: config.budget } });
    const text = await metrics.registry.metrics();
    const model = 'model="anthropic/claude-sonnet-4-5"';
    expect(text).toContain(`holmes_llm_tokens_total{team="chat",${model},direction="input"} ${312 + 406}`);
    expect(text).toContain(`holmes_llm_tokens_total{team="chat",${model},direction="cache_read"} 2480`);
    expect(text).toContain(`holmes_llm_tokens_total{team="chat",${model},direction="cache_write"} ${2_480 + 390}`);
    agent.close();
  });
});

describe('a stable prefix (OpenAI-style automatic caching)', () => {
  let harness: Harness | undefined;
  afterEach(() => harness?.close());

  it('lets every call after the first read the tools, the system prompt and the evidence from the cache', async () => {
    const count = await loadTokenCounter();
    const encoder = getEncoding('o200k_base');
    const cache = createPromptCacheSimulator((text) => encoder.encode(text));
    const cached: number[] = [];
    const prefixes: number[] = [];
    const turn =
      (reply: Omit<ScriptedReply, 'usage'>) =>
      (request: ScriptedRequest): ScriptedReply => {
        const input = countMessageTokens(request.messages, request.tools, count);
        cached.push(cache.read(request, input));
        prefixes.push(countMessageTokens(request.messages.slice(0, 2), request.tools, count));
        return { ...reply, usage: { input, output: 50, cached: cached.at(-1)! } };
      };
    harness = await createHarness([
      turn({ toolCalls: [{ id: 'c1', name: 'gpu_sharing', args: { namespace: 'llm' } }] }),
      turn({ toolCalls: [{ id: 'c2', name: 'vllm_overview', args: {} }] }),
      turn({ toolCalls: [finalAnswer(['c1'])] }),
    ]);
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('completed');
    expect(cached[0]).toBe(0);
    // OpenAI caches in 128-token steps: all but the last partial step of the static prefix is read.
    for (const [index, tokens] of cached.slice(1).entries())
      expect(tokens).toBeGreaterThanOrEqual(prefixes[index + 1]! - 128);
    expect(result.llm!.budget.spent.cachedTokens).toBe(cached.reduce((sum, tokens) => sum + tokens, 0));
  });
});
