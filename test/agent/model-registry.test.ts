import { describe, expect, it } from 'vitest';
import { CATALOG, lookupModel, priceUsage } from '../../src/agent/model-catalog.js';
import { calibrate, createModelRegistry, describeModels } from '../../src/agent/model-registry.js';
import { configSchema } from '../../src/config/config-schema.js';

const registry = (models: unknown[], env: NodeJS.ProcessEnv = {}) =>
  createModelRegistry(configSchema.parse({ models }), env);

describe('lookupModel (the catalog bundled with @pydantic/genai-prices)', () => {
  it('gives an OpenAI model its price, cached rate and window, dated ids included', () => {
    const found = lookupModel('gpt-4o-mini-2024-07-18', { provider: 'openai' });
    expect(found).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      contextWindow: 128_000,
      price: { input: 0.15, output: 0.6, cached: 0.075 },
      matchedBy: 'provider',
    });
    // 849 uncached + 1024 cached input tokens and 52 output tokens, at the catalog's rates.
    expect(found!.usd({ inputTokens: 1_873, cachedTokens: 1_024, cacheWriteTokens: 0, outputTokens: 52 })).toBeCloseTo(
      (849 * 0.15 + 1_024 * 0.075 + 52 * 0.6) / 1e6,
      12,
    );
  });

  it('gives an Anthropic model its cache read and write rates and window, and its long-prompt tier', () => {
    const found = lookupModel('claude-sonnet-4-5', { provider: 'anthropic' });
    expect(found).toMatchObject({
      provider: 'anthropic',
      contextWindow: 200_000,
      price: { input: 3, output: 15, cached: 0.3, cacheWrite: 3.75 },
    });
    const small = { inputTokens: 10_000, cachedTokens: 6_000, cacheWriteTokens: 3_000, outputTokens: 500 };
    expect(found!.usd(small)).toBeCloseTo((1_000 * 3 + 6_000 * 0.3 + 3_000 * 3.75 + 500 * 15) / 1e6, 12);
    // Above 200k input tokens the catalog's higher tier applies to the whole request.
    expect(found!.usd({ inputTokens: 300_000, cachedTokens: 0, cacheWriteTokens: 0, outputTokens: 0 })).toBeCloseTo(
      (300_000 * 6) / 1e6,
      9,
    );
  });

  it("finds an open model by its gateway's base URL, and a LiteLLM-style provider/model by name", () => {
    expect(
      lookupModel('llama-3.1-8b-instant', { provider: 'openai', baseUrl: 'https://api.groq.com/openai/v1' }),
    ).toMatchObject({
      provider: 'groq',
      matchedBy: 'endpoint',
      price: { input: 0.05, output: 0.08 },
      contextWindow: undefined,
    });
    expect(
      lookupModel('anthropic/claude-sonnet-4-5', { provider: 'openai', baseUrl: 'http://litellm:4000/v1' }),
    ).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5', matchedBy: 'name', contextWindow: 200_000 });
    expect(lookupModel('llama3.1:8b', { provider: 'openai', baseUrl: 'http://127.0.0.1:11434/v1' })).toBeUndefined();
  });
});

describe('createModelRegistry', () => {
  it('fills window and price from the catalog and says where they came from', () => {
    const { entries, warnings } = registry(
      [{ provider: 'openai', model: 'gpt-4o-mini-2024-07-18', apiKeys: [{ env: 'A' }, { env: 'B' }] }],
      { A: 'sk-1', B: 'sk-2' },
    );
    expect(warnings).toEqual([]);
    expect(entries[0]).toMatchObject({
      name: 'openai/gpt-4o-mini-2024-07-18',
      keys: ['sk-1', 'sk-2'],
      contextWindow: 128_000,
      windowSource: `${CATALOG}: openai gpt-4o-mini`,
      maxOutputTokens: 4_096,
      price: { input: 0.15, output: 0.6, cached: 0.075 },
      priceSource: `${CATALOG}: openai gpt-4o-mini`,
      inputEstimateFactor: 1.1,
    });
  });

  it('counts an unknown local model as free with an 8k window, and says both and why', () => {
    const { entries, warnings } = registry([
      { provider: 'openai', model: 'llama3.1:8b', baseUrl: 'http://127.0.0.1:11434/v1' },
    ]);
    expect(entries[0]).toMatchObject({
      contextWindow: 8_192,
      price: { input: 0, output: 0 },
      priceUnknown: true,
      keys: [],
    });
    expect(entries[0]!.priceSource).toMatch(/^unknown \(not in @pydantic\/genai-prices [\d.]+\): counted as free$/);
    expect(warnings).toEqual([
      expect.stringContaining('no known price, counted as free; USD caps do not limit it'),
      expect.stringMatching(/unknown context window, assuming 8192 tokens .*Set models\[0\]\.contextWindow/),
    ]);
  });

  it('warns when a price was matched by model name through an endpoint the catalog does not know', () => {
    const { warnings } = registry([{ provider: 'openai', model: 'gpt-4o-mini', baseUrl: 'http://127.0.0.1:4000/v1' }]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /matched by model name: http:\/\/127\.0\.0\.1:4000\/v1 is not an endpoint the catalog knows\. If it is self-hosted, set models\[0\]\.price/,
      ),
    ]);
  });

  it('lets the config override price and window (a self-hosted model at $0), and names the config as the source', () => {
    const { entries, warnings } = registry([
      {
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        name: 'haiku',
        contextWindow: 50_000,
        maxOutputTokens: 800,
        price: { input: 0.5, output: 2.5 },
      },
      {
        provider: 'openai',
        model: 'Qwen/Qwen2.5-7B-Instruct',
        baseUrl: 'http://vllm:8000/v1',
        contextWindow: 32_768,
        price: { input: 0, output: 0 },
      },
    ]);
    expect(warnings).toEqual([]);
    expect(entries[0]).toMatchObject({
      name: 'haiku',
      contextWindow: 50_000,
      windowSource: 'config models[0].contextWindow',
      maxOutputTokens: 800,
      price: { input: 0.5, output: 2.5 },
      priceSource: 'config models[0].price',
      inputEstimateFactor: 1.3,
    });
    expect(entries[0]!.usd({ inputTokens: 1_000_000, cachedTokens: 0, cacheWriteTokens: 0, outputTokens: 0 })).toBe(
      0.5,
    );
    expect(entries[1]).toMatchObject({ priceUnknown: false, priceSource: 'config models[1].price' });
  });

  it('describes the models without reading a key', () => {
    const described = describeModels(
      configSchema.parse({ models: [{ provider: 'openai', model: 'gpt-4o', apiKeys: [{ env: 'NOT_SET_ANYWHERE' }] }] }),
    );
    expect(described[0]!.facts).toMatchObject({ name: 'openai/gpt-4o', contextWindow: 128_000 });
  });

  it('names the variable when a key comes from one that is not set', () => {
    expect(() => registry([{ provider: 'openai', model: 'gpt-4o', apiKeys: [{ env: 'OPENAI_API_KEY' }] }])).toThrow(
      /models\[0\]\.apiKeys\[0\]: environment variable OPENAI_API_KEY is not set/,
    );
  });

  it('refuses an API key written in the config', () => {
    const parsed = configSchema.safeParse({ models: [{ provider: 'openai', model: 'gpt-4o', apiKeys: ['sk-live'] }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['models', 0, 'apiKeys', 0],
      message: 'API keys are not written in the config: use { env: NAME } or { file: PATH }',
    });
  });
});

describe('calibrate', () => {
  it('raises the estimate factor when the provider counts more than we did, and never lowers it', () => {
    const [entry] = registry([{ provider: 'openai', model: 'local', baseUrl: 'http://127.0.0.1:1/v1' }]).entries;
    calibrate(entry!, 1_000, 1_300);
    expect(entry!.inputEstimateFactor).toBeCloseTo(1.326, 3);
    calibrate(entry!, 1_000, 900);
    expect(entry!.inputEstimateFactor).toBeCloseTo(1.326, 3);
  });
});

describe('priceUsage', () => {
  it('prices cache reads and writes at their rates and the rest at the input rate', () => {
    expect(
      priceUsage(
        { input: 2.5, output: 10, cached: 1.25, cacheWrite: 3 },
        { inputTokens: 1_000_000, cachedTokens: 400_000, cacheWriteTokens: 100_000, outputTokens: 100_000 },
      ),
    ).toBeCloseTo(0.5 * 2.5 + 0.4 * 1.25 + 0.1 * 3 + 0.1 * 10, 10);
    expect(
      priceUsage({ input: 1, output: 2 }, { inputTokens: 1_000, cachedTokens: 1_000, outputTokens: 0 }),
    ).toBeCloseTo(0.001, 10);
  });
});
