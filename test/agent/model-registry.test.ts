import { describe, expect, it } from 'vitest';
import { lookupModel, priceUsage } from '../../src/agent/model-catalog.js';
import { createModelRegistry } from '../../src/agent/model-registry.js';
import { configSchema } from '../../src/config/config-schema.js';

const registry = (models: unknown[], env: NodeJS.ProcessEnv = {}) =>
  createModelRegistry(configSchema.parse({ models }), env);

describe('createModelRegistry', () => {
  it('fills window, output cap and price from the catalog, longest prefix first, LiteLLM prefixes too', () => {
    const { entries, warnings } = registry(
      [
        { provider: 'openai', model: 'gpt-4o-mini-2024-07-18', apiKeys: [{ env: 'A' }, { env: 'B' }] },
        { provider: 'openai', model: 'anthropic/claude-sonnet-4-5', baseUrl: 'http://litellm:4000/v1' },
      ],
      { A: 'sk-1', B: 'sk-2' },
    );
    expect(warnings).toEqual([]);
    expect(entries[0]).toMatchObject({
      name: 'openai/gpt-4o-mini-2024-07-18',
      keys: ['sk-1', 'sk-2'],
      contextWindow: 128_000,
      maxOutputTokens: 4_096,
      price: { input: 0.15, output: 0.6, cached: 0.075 },
      inputEstimateFactor: 1.1,
    });
    expect(entries[1]).toMatchObject({ contextWindow: 200_000, price: { input: 3, output: 15 } });
  });

  it('counts an unknown local model as free with a small window, and says both', () => {
    const { entries, warnings } = registry([
      { provider: 'openai', model: 'llama3.1:8b', baseUrl: 'http://127.0.0.1:11434/v1' },
    ]);
    expect(entries[0]).toMatchObject({
      contextWindow: 8_192,
      price: { input: 0, output: 0 },
      priceUnknown: true,
      keys: [],
    });
    expect(warnings).toEqual([
      expect.stringContaining('no known price, counted as free'),
      expect.stringContaining('Set models[0].contextWindow'),
    ]);
  });

  it('lets the config override price, window and output cap', () => {
    const { entries } = registry([
      {
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        name: 'haiku',
        contextWindow: 50_000,
        maxOutputTokens: 800,
        price: { input: 0.5, output: 2.5 },
      },
    ]);
    expect(entries[0]).toMatchObject({
      name: 'haiku',
      contextWindow: 50_000,
      maxOutputTokens: 800,
      price: { input: 0.5, output: 2.5 },
      inputEstimateFactor: 1.3,
    });
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

describe('priceUsage', () => {
  it('prices cached input at the cached rate and the rest at the input rate', () => {
    expect(
      priceUsage(
        { input: 2.5, output: 10, cached: 1.25 },
        { inputTokens: 1_000_000, cachedTokens: 400_000, outputTokens: 100_000 },
      ),
    ).toBeCloseTo(0.6 * 2.5 + 0.4 * 1.25 + 0.1 * 10, 10);
    expect(
      priceUsage({ input: 1, output: 2 }, { inputTokens: 1_000, cachedTokens: 1_000, outputTokens: 0 }),
    ).toBeCloseTo(0.001, 10);
    expect(lookupModel('o3-mini-unknown')).toBe(lookupModel('o3'));
  });
});
