import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { HumanMessage } from '@langchain/core/messages';
import { createBudgetGuard } from '../../src/agent/budget-guard.js';
import { createFailoverCaller } from '../../src/agent/call-with-failover.js';
import { fitRequest } from '../../src/agent/fit-request.js';
import { createModelRegistry, type ModelEntry } from '../../src/agent/model-registry.js';
import type { ToolDefinition } from '../../src/agent/tool-definitions.js';
import { loadTokenCounter } from '../../src/toolsets/count-tokens.js';
import { configSchema } from '../../src/config/config-schema.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createSpendLedger } from '../../src/ledger/spend-ledger.js';
import { replay, type SeenRequest } from './provider-fixtures.js';

// Loopback origins with no listener: nock answers before anything leaves the process.
const OPENAI = 'http://127.0.0.1:9';
const ANTHROPIC = 'http://127.0.0.1:7';
const ENV = { KEY_A1: 'sk-a1', KEY_A2: 'sk-a2', KEY_B1: 'sk-ant-b1' };
const countTokens = await loadTokenCounter();
const TOOLS: ToolDefinition[] = [
  {
    type: 'function',
    function: {
      name: 'gpu_sharing',
      description: 'Who shares a GPU',
      parameters: { type: 'object', properties: { node: { type: 'string' } }, required: ['node'] },
    },
  },
];
const MESSAGES = [new HumanMessage('Why is chat-api slow?')];

type ModelInput = Record<string, unknown>;
const openaiModel = (keys: string[], extra: ModelInput = {}): ModelInput => ({
  provider: 'openai',
  model: 'gpt-4o-mini',
  baseUrl: `${OPENAI}/v1`,
  apiKeys: keys.map((env) => ({ env })),
  ...extra,
});
const anthropicModel = (extra: ModelInput = {}): ModelInput => ({
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  baseUrl: ANTHROPIC,
  apiKeys: [{ env: 'KEY_B1' }],
  ...extra,
});

let db: Db;

function setup(models: ModelInput[], waits: number[] = []) {
  const config = configSchema.parse({ models });
  const registry = createModelRegistry(config, ENV);
  const ledger = createSpendLedger(db);
  const guard = createBudgetGuard({
    caps: config.budget.perInvestigation,
    limits: {},
    ledger,
    attribution: { recordId: 'r1', team: 'chat', namespace: 'llm', alertname: 'InferenceP99High' },
  });
  const caller = createFailoverCaller({
    entries: registry.entries,
    rounds: 2,
    backoffMs: 100,
    sleep: async (ms) => void waits.push(ms),
  });
  const hooks = {
    reserve: (entry: ModelEntry, prepared: { inputTokens: number; maxTokens: number }, fallback: boolean) =>
      guard.reserve({
        entry,
        inputTokens: prepared.inputTokens,
        outputTokens: prepared.maxTokens,
        purpose: 'turn',
        newStep: true,
        fallback,
      }),
    settle: guard.settle,
  };
  const request = {
    prepare: (entry: ModelEntry) =>
      fitRequest(entry, { messages: MESSAGES, tools: TOOLS, droppable: [], countTokens, minOutputTokens: 1_024 }),
  };
  return { registry, ledger, guard, call: () => caller.call(request, hooks) };
}

function events() {
  return db
    .prepare(
      `SELECT model, outcome, input_tokens AS input, cached_tokens AS cached, output_tokens AS output, usd FROM usage_events ORDER BY id`,
    )
    .all() as Array<{ model: string; outcome: string; input: number; cached: number; output: number; usd: number }>;
}

describe('createFailoverCaller', () => {
  beforeEach(() => {
    nock.disableNetConnect();
    db = openDatabase({ path: ':memory:' });
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    db.close();
  });

  it('parses an OpenAI-compatible reply with tool calls and meters its reported usage when the first model answers', async () => {
    const seen: SeenRequest[] = [];
    replay(OPENAI, '/v1/chat/completions', 'openai-chat-tool-calls', seen);
    const { call, registry } = setup([openaiModel(['KEY_A1'])]);
    const result = await call();
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.message.tool_calls?.map((toolCall) => [toolCall.name, toolCall.args, toolCall.id])).toEqual([
      ['gpu_sharing', { node: 'gpu-a100-07' }, 'call_Vx1kq8'],
      ['kubernetes_events', { namespace: 'llm' }, 'call_Wd3pm2'],
    ]);
    expect(seen[0]!.headers.authorization).toBe('Bearer sk-a1');
    expect(seen[0]!.body.tools).toEqual(TOOLS);
    expect(seen[0]!.body.max_tokens).toBe(4096);
    expect(registry.entries[0]!.price).toMatchObject({ input: 0.15, cached: 0.075, output: 0.6 });
    expect(events()).toEqual([
      {
        model: 'openai/gpt-4o-mini',
        outcome: 'ok',
        input: 1873,
        cached: 1024,
        output: 52,
        // prompt_tokens_details.cached_tokens at the cached rate, the rest at the input rate.
        usd: expect.closeTo((849 * 0.15 + 1024 * 0.075 + 52 * 0.6) / 1e6, 12),
      },
    ]);
  });

  it('parses an Anthropic reply with a tool_use block and counts cache reads as input', async () => {
    const seen: SeenRequest[] = [];
    replay(ANTHROPIC, '/v1/messages', 'anthropic-messages-tool-use', seen);
    const { call } = setup([anthropicModel()]);
    const result = await call();
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.message.tool_calls?.map((toolCall) => [toolCall.name, toolCall.args])).toEqual([
      ['gpu_sharing', { node: 'gpu-a100-07' }],
    ]);
    expect(seen[0]!.headers['x-api-key']).toBe('sk-ant-b1');
    expect((seen[0]!.body.tools as Array<{ name: string; input_schema: unknown }>)[0]).toMatchObject({
      name: 'gpu_sharing',
      input_schema: TOOLS[0]!.function.parameters,
    });
    expect(events()).toMatchObject([
      { model: 'anthropic/claude-sonnet-4-5', outcome: 'ok', input: 2095 + 1500, cached: 1500, output: 71 },
    ]);
  });

  it('fails over to the next model when the first answers 429 and it has no other key', async () => {
    replay(OPENAI, '/v1/chat/completions', 'openai-429-rate-limit');
    replay(ANTHROPIC, '/v1/messages', 'anthropic-messages-tool-use');
    const { call } = setup([openaiModel(['KEY_A1']), anthropicModel()]);
    const result = await call();
    expect(result.status).toBe('ok');
    expect(result.attempts.map((attempt) => [attempt.model, attempt.outcome, attempt.status])).toEqual([
      ['openai/gpt-4o-mini', 'rate-limit', 429],
      ['anthropic/claude-sonnet-4-5', 'ok', undefined],
    ]);
    // The failed attempt is in the ledger too, with the zero usage nobody charged for.
    expect(events().map((event) => [event.outcome, event.input, event.output])).toEqual([
      ['rate-limit', 0, 0],
      ['ok', 3595, 71],
    ]);
  });

  it('rotates to the next key of the same model on 429 before leaving the model', async () => {
    const seen: SeenRequest[] = [];
    replay(OPENAI, '/v1/chat/completions', 'openai-429-rate-limit', seen);
    replay(OPENAI, '/v1/chat/completions', 'openai-chat-tool-calls', seen);
    const { call } = setup([openaiModel(['KEY_A1', 'KEY_A2']), anthropicModel()]);
    const result = await call();
    expect(result.status).toBe('ok');
    expect(seen.map((request) => request.headers.authorization)).toEqual(['Bearer sk-a1', 'Bearer sk-a2']);
  });

  it('moves to the next key on 401 and keeps the refused key out of later calls', async () => {
    const seen: SeenRequest[] = [];
    replay(OPENAI, '/v1/chat/completions', 'openai-401-invalid-key', seen);
    replay(OPENAI, '/v1/chat/completions', 'openai-chat-tool-calls', seen);
    replay(OPENAI, '/v1/chat/completions', 'openai-chat-text', seen);
    const { call } = setup([openaiModel(['KEY_A1', 'KEY_A2'])]);
    const first = await call();
    expect(first.attempts.map((attempt) => [attempt.keyIndex, attempt.outcome])).toEqual([
      [0, 'auth'],
      [1, 'ok'],
    ]);
    const second = await call();
    expect(second.status).toBe('ok');
    expect(seen.map((request) => request.headers.authorization)).toEqual([
      'Bearer sk-a1',
      'Bearer sk-a2',
      'Bearer sk-a2',
    ]);
  });

  it.each([
    ['a 5xx (Anthropic 529 overloaded)', 'anthropic', 'anthropic-529-overloaded', 'server'],
    ['a 503 (OpenAI overloaded)', 'openai', 'openai-503-unavailable', 'server'],
  ])('fails over to the next model on %s', async (_name, failing, fixture, kind) => {
    if (failing === 'anthropic') {
      replay(ANTHROPIC, '/v1/messages', fixture);
      replay(OPENAI, '/v1/chat/completions', 'openai-chat-tool-calls');
    } else {
      replay(OPENAI, '/v1/chat/completions', fixture);
      replay(ANTHROPIC, '/v1/messages', 'anthropic-messages-tool-use');
    }
    const models =
      failing === 'anthropic'
        ? [anthropicModel(), openaiModel(['KEY_A1'])]
        : [openaiModel(['KEY_A1']), anthropicModel()];
    const result = await setup(models).call();
    expect(result.status).toBe('ok');
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual([kind, 'ok']);
  });

  it.each([
    ['Anthropic prompt is too long', 'anthropic', 'anthropic-400-prompt-too-long', 200_000],
    ['OpenAI context_length_exceeded', 'openai', 'openai-400-context-length', 8_192],
  ])(
    'retries a model once after a context-length error (%s), with the window it names, then fails over',
    async (_name, failing, fixture, window) => {
      const seen: SeenRequest[] = [];
      const [path, other, otherPath, otherFixture] =
        failing === 'anthropic'
          ? ['/v1/messages', OPENAI, '/v1/chat/completions', 'openai-chat-tool-calls']
          : ['/v1/chat/completions', ANTHROPIC, '/v1/messages', 'anthropic-messages-tool-use'];
      const origin = failing === 'anthropic' ? ANTHROPIC : OPENAI;
      replay(origin, path, fixture, seen);
      replay(origin, path, fixture, seen);
      replay(other, otherPath, otherFixture);
      const models =
        failing === 'anthropic'
          ? [anthropicModel(), openaiModel(['KEY_A1'])]
          : [openaiModel(['KEY_A1']), anthropicModel()];
      const { call, registry } = setup(models);
      const result = await call();
      expect(result.status).toBe('ok');
      expect(result.attempts.map((attempt) => attempt.outcome)).toEqual(['context-length', 'context-length', 'ok']);
      expect(seen).toHaveLength(2);
      // The error's figures are the model's from now on (a smaller window, or a tokenizer that counts
      // more than ours), and the retry was fitted to them.
      const entry = registry.entries[0]!;
      expect(entry.contextWindow).toBe(window);
      if (failing === 'openai') expect(entry.windowSource).toMatch(/context-length error \(8192 tokens\)/);
      else expect(entry.inputEstimateFactor).toBeGreaterThan(1.3);
      expect(Number(seen[1]!.body.max_tokens)).toBeLessThanOrEqual(window);
    },
  );

  it('fails over to the next model when the first does not answer within its timeout', async () => {
    replay(OPENAI, '/v1/chat/completions', 'openai-chat-text', [], { delayMs: 3_000 });
    replay(ANTHROPIC, '/v1/messages', 'anthropic-messages-tool-use');
    const result = await setup([openaiModel(['KEY_A1'], { timeoutMs: 200 }), anthropicModel()]).call();
    expect(result.status).toBe('ok');
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual(['timeout', 'ok']);
  });

  it('backs off (honouring Retry-After) and goes round again, then fails with every attempt named', async () => {
    for (let round = 0; round < 2; round += 1) {
      replay(OPENAI, '/v1/chat/completions', 'openai-429-rate-limit');
      replay(ANTHROPIC, '/v1/messages', 'anthropic-429-rate-limit');
    }
    const waits: number[] = [];
    const result = await setup([openaiModel(['KEY_A1']), anthropicModel()], waits).call();
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') return;
    expect(waits).toEqual([2_000]);
    expect(result.attempts).toHaveLength(4);
    expect(result.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(result.error.message).toContain('anthropic/claude-sonnet-4-5: rate-limit');
    expect(result.error.fix).toMatch(/models list/);
  });
});
