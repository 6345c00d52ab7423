import type { HolmesConfig } from '../config/config-schema.js';
import { resolveSecret } from '../config/secret.js';
import { lookupModel, UNKNOWN_MODEL, type ModelPrice } from './model-catalog.js';

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
  contextWindow: number;
  /** max_tokens sent with each call, and reserved in full by the guard. */
  maxOutputTokens: number;
  price: ModelPrice;
  timeoutMs: number;
  inputEstimateFactor: number;
  /** The catalog did not know the model and no price was configured: it counts as free. */
  priceUnknown: boolean;
}

export interface ModelRegistry {
  entries: ModelEntry[];
  warnings: string[];
}

const DEFAULT_MAX_OUTPUT = 4_096;

/** Builds the ordered model list once: secrets resolved, defaults from the catalog, warnings said. */
export function createModelRegistry(
  config: Pick<HolmesConfig, 'models'>,
  env: NodeJS.ProcessEnv = process.env,
): ModelRegistry {
  const warnings: string[] = [];
  const entries = config.models.map((spec, index): ModelEntry => {
    const known = lookupModel(spec.model);
    const facts = known ?? UNKNOWN_MODEL;
    const name = spec.name ?? `${spec.provider}/${spec.model}`;
    const priceUnknown = !known && !spec.price;
    if (priceUnknown)
      warnings.push(
        `models[${index}] ${name}: no known price, counted as free (USD caps do not limit it). Set models[${index}].price if it costs money.`,
      );
    if (!known && !spec.contextWindow)
      warnings.push(
        `models[${index}] ${name}: unknown context window, assuming ${UNKNOWN_MODEL.contextWindow} tokens. Set models[${index}].contextWindow.`,
      );
    const keys = spec.apiKeys.map((key, keyIndex) => resolveSecret(key, `models[${index}].apiKeys[${keyIndex}]`, env));
    return {
      index,
      name,
      provider: spec.provider,
      model: spec.model,
      baseUrl: spec.baseUrl,
      keys,
      contextWindow: spec.contextWindow ?? facts.contextWindow,
      maxOutputTokens: spec.maxOutputTokens ?? Math.min(DEFAULT_MAX_OUTPUT, facts.outputLimit),
      price: spec.price ?? facts.price,
      timeoutMs: spec.timeoutMs,
      // o200k_base undercounts other tokenizers (Claude's most); reserve with a margin.
      inputEstimateFactor: spec.inputEstimateFactor ?? (spec.provider === 'anthropic' ? 1.3 : 1.1),
      priceUnknown,
    };
  });
  return { entries, warnings };
}
