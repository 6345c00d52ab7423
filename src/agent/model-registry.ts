import type { HolmesConfig } from '../config/config-schema.js';
import { resolveSecret } from '../config/secret.js';
import type { ModelPrice, PricedUsage } from './model-catalog.js';
import { modelFacts } from './model-facts.js';

/** A configured model with everything the failover and the guard need, defaults filled in. */
export interface ModelEntry {
  index: number;
  /** Name in the ledger and in messages. */
  name: string;
  provider: 'openai' | 'anthropic';
  model: string;
  baseUrl: string | undefined;
  /** Resolved keys, in rotation order; empty for a local server. */
  keys: string[];
  /** Tokens; lowered when the provider says the window is smaller (a context-length error names it). */
  contextWindow: number;
  windowSource: string;
  /** max_tokens of a call at most (shrunk to fit the window), reserved in full by the guard. */
  maxOutputTokens: number;
  price: ModelPrice;
  priceSource: string;
  /** USD of a call's usage: the catalog's rates and tiers, or the configured price. */
  usd: (usage: PricedUsage) => number;
  timeoutMs: number;
  /**
   * Reserve this many times the input counted locally (o200k_base): other tokenizers count more.
   * Raised when the provider reports more than was counted, so fitting and reserving learn the model.
   */
  inputEstimateFactor: number;
  /** The catalog did not know the model and no price was configured: it counts as free. */
  priceUnknown: boolean;
}

export interface ModelRegistry {
  entries: ModelEntry[];
  warnings: string[];
}

/** Describes every configured model (window and price with their sources) without reading a secret. */
export function describeModels(config: Pick<HolmesConfig, 'models'>) {
  return config.models.map((spec, index) => ({ spec, facts: modelFacts(spec, index) }));
}

/** Builds the ordered model list once: secrets resolved, defaults from the catalog, warnings said. */
export function createModelRegistry(
  config: Pick<HolmesConfig, 'models'>,
  env: NodeJS.ProcessEnv = process.env,
): ModelRegistry {
  const described = describeModels(config);
  const entries = described.map(({ spec, facts }, index): ModelEntry => {
    const keys = spec.apiKeys.map((key, keyIndex) => resolveSecret(key, `models[${index}].apiKeys[${keyIndex}]`, env));
    return {
      index,
      name: facts.name,
      provider: spec.provider,
      model: spec.model,
      baseUrl: spec.baseUrl,
      keys,
      contextWindow: facts.contextWindow,
      windowSource: facts.windowSource,
      maxOutputTokens: facts.maxOutputTokens,
      price: facts.price,
      priceSource: facts.priceSource,
      usd: facts.usd,
      timeoutMs: spec.timeoutMs,
      // o200k_base undercounts other tokenizers (Claude's most); reserve with a margin.
      inputEstimateFactor: spec.inputEstimateFactor ?? (spec.provider === 'anthropic' ? 1.3 : 1.1),
      priceUnknown: facts.priceUnknown,
    };
  });
  return { entries, warnings: described.flatMap(({ facts }) => facts.warnings) };
}

/**
 * What a call taught about a model: the provider counted `reported` input tokens where `counted`
 * were counted locally. The estimate factor only rises, so reservations stay worst cases.
 */
export function calibrate(entry: ModelEntry, counted: number, reported: number): void {
  if (counted < 200 || reported <= 0) return;
  const ratio = Math.min(3, (reported / counted) * 1.02);
  if (ratio > entry.inputEstimateFactor) entry.inputEstimateFactor = Math.round(ratio * 1000) / 1000;
}
