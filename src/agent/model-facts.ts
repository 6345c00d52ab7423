import type { ModelSpec } from '../config/config-schema.js';
import { CATALOG, lookupModel, priceUsage, type ModelPrice, type PricedUsage } from './model-catalog.js';

/** Assumed for a model whose window neither the catalog nor the config gives: small, so calls are fitted to it. */
export const UNKNOWN_WINDOW = 8_192;
export const DEFAULT_MAX_OUTPUT = 4_096;

/** A configured model's window and price, each with where it came from; no secret is read. */
export interface ModelFacts {
  name: string;
  contextWindow: number;
  /** `config`, the catalog entry, or `assumed`. */
  windowSource: string;
  maxOutputTokens: number;
  price: ModelPrice;
  priceSource: string;
  /** No price configured and none in the catalog: it counts as free. */
  priceUnknown: boolean;
  usd(usage: PricedUsage): number;
  /** What the user should know about these figures, one sentence each. */
  warnings: string[];
}

/**
 * Window and price of `models[index]`: the config's own figures first (self-hosted models at $0,
 * negotiated rates), then the catalog bundled with @pydantic/genai-prices, then a labelled fallback.
 */
export function modelFacts(spec: ModelSpec, index: number): ModelFacts {
  const name = spec.name ?? `${spec.provider}/${spec.model}`;
  const found = lookupModel(spec.model, { provider: spec.provider, baseUrl: spec.baseUrl });
  const catalogName = found ? `${CATALOG}: ${found.provider} ${found.model}` : undefined;
  const warnings: string[] = [];
  const at = `models[${index}] ${name}`;
  let priceSource: string;
  if (spec.price) priceSource = `config models[${index}].price`;
  else if (found && found.matchedBy === 'name') {
    priceSource = `${catalogName} (matched by model name)`;
    warnings.push(
      `${at}: price from ${catalogName}, matched by model name: ${spec.baseUrl} is not an endpoint the catalog knows. If it is self-hosted, set models[${index}].price to { input: 0, output: 0 }.`,
    );
  } else if (found) priceSource = catalogName!;
  else {
    priceSource = `unknown (not in ${CATALOG}): counted as free`;
    warnings.push(
      `${at}: no known price, counted as free; USD caps do not limit it (not in ${CATALOG}). Set models[${index}].price if it costs money.`,
    );
  }
  let windowSource: string;
  let contextWindow: number;
  if (spec.contextWindow) [contextWindow, windowSource] = [spec.contextWindow, `config models[${index}].contextWindow`];
  else if (found?.contextWindow) [contextWindow, windowSource] = [found.contextWindow, catalogName!];
  else {
    [contextWindow, windowSource] = [
      UNKNOWN_WINDOW,
      `assumed (${found ? `${catalogName} gives no window` : `not in ${CATALOG}`})`,
    ];
    warnings.push(
      `${at}: unknown context window, assuming ${UNKNOWN_WINDOW} tokens (${found ? `${catalogName} gives none` : `not in ${CATALOG}`}); calls are fitted to it. Set models[${index}].contextWindow.`,
    );
  }
  const price = spec.price ?? found?.price ?? { input: 0, output: 0 };
  return {
    name,
    contextWindow,
    windowSource,
    maxOutputTokens: spec.maxOutputTokens ?? DEFAULT_MAX_OUTPUT,
    price,
    priceSource,
    priceUnknown: !spec.price && !found,
    usd: spec.price || !found ? (usage) => priceUsage(price, usage) : found.usd,
    warnings,
  };
}
