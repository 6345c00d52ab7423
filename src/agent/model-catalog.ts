/** USD per 1M tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cached?: number | undefined;
}

export interface ModelFacts {
  contextWindow: number;
  /** The most output tokens the model can produce in one call. */
  outputLimit: number;
  price: ModelPrice;
}

/**
 * Defaults for common models: list prices as published by OpenAI and Anthropic in late 2025.
 * Your contract may differ: `models[].price` and `models[].contextWindow` override them.
 * Matched by the longest prefix of the model id, after any `provider/` prefix (LiteLLM style).
 */
const CATALOG: Record<string, ModelFacts> = {
  'gpt-4o-mini': { contextWindow: 128_000, outputLimit: 16_384, price: { input: 0.15, output: 0.6, cached: 0.075 } },
  'gpt-4o': { contextWindow: 128_000, outputLimit: 16_384, price: { input: 2.5, output: 10, cached: 1.25 } },
  'gpt-4.1-nano': { contextWindow: 1_047_576, outputLimit: 32_768, price: { input: 0.1, output: 0.4, cached: 0.025 } },
  'gpt-4.1-mini': { contextWindow: 1_047_576, outputLimit: 32_768, price: { input: 0.4, output: 1.6, cached: 0.1 } },
  'gpt-4.1': { contextWindow: 1_047_576, outputLimit: 32_768, price: { input: 2, output: 8, cached: 0.5 } },
  'gpt-5-nano': { contextWindow: 400_000, outputLimit: 128_000, price: { input: 0.05, output: 0.4, cached: 0.005 } },
  'gpt-5-mini': { contextWindow: 400_000, outputLimit: 128_000, price: { input: 0.25, output: 2, cached: 0.025 } },
  'gpt-5': { contextWindow: 400_000, outputLimit: 128_000, price: { input: 1.25, output: 10, cached: 0.125 } },
  'o4-mini': { contextWindow: 200_000, outputLimit: 100_000, price: { input: 1.1, output: 4.4, cached: 0.275 } },
  o3: { contextWindow: 200_000, outputLimit: 100_000, price: { input: 2, output: 8, cached: 0.5 } },
  'claude-opus-4': { contextWindow: 200_000, outputLimit: 32_000, price: { input: 15, output: 75, cached: 1.5 } },
  'claude-sonnet-4': { contextWindow: 200_000, outputLimit: 64_000, price: { input: 3, output: 15, cached: 0.3 } },
  'claude-3-7-sonnet': { contextWindow: 200_000, outputLimit: 64_000, price: { input: 3, output: 15, cached: 0.3 } },
  'claude-3-5-sonnet': { contextWindow: 200_000, outputLimit: 8_192, price: { input: 3, output: 15, cached: 0.3 } },
  'claude-haiku-4': { contextWindow: 200_000, outputLimit: 64_000, price: { input: 1, output: 5, cached: 0.1 } },
  'claude-3-5-haiku': { contextWindow: 200_000, outputLimit: 8_192, price: { input: 0.8, output: 4, cached: 0.08 } },
};

/** What is assumed for a model the table does not know (a local one): a small window, no price. */
export const UNKNOWN_MODEL: ModelFacts = { contextWindow: 8_192, outputLimit: 4_096, price: { input: 0, output: 0 } };

/** The catalog entry of a model id, or undefined. */
export function lookupModel(model: string): ModelFacts | undefined {
  const id = model.toLowerCase().split('/').at(-1)!;
  const key = Object.keys(CATALOG)
    .filter((candidate) => id.startsWith(candidate))
    .sort((left, right) => right.length - left.length)[0];
  return key ? CATALOG[key] : undefined;
}

/** USD of one call: uncached input, cached input (at the cached price when known) and output. */
export function priceUsage(
  price: ModelPrice,
  usage: { inputTokens: number; cachedTokens: number; outputTokens: number },
): number {
  const cached = Math.min(usage.cachedTokens, usage.inputTokens);
  const cachedPrice = price.cached ?? price.input;
  return (
    ((usage.inputTokens - cached) * price.input + cached * cachedPrice + usage.outputTokens * price.output) / 1_000_000
  );
}
