import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { calcPrice, findProvider, type ModelPrice as CatalogRates } from '@pydantic/genai-prices';

/** USD per 1M tokens. `cached` is a cache read; `cacheWrite` a token written to the cache (Anthropic). */
export interface ModelPrice {
  input: number;
  output: number;
  cached?: number | undefined;
  cacheWrite?: number | undefined;
}

/** Tokens of one call as priced: `inputTokens` is the whole prompt, cache reads and writes included. */
export interface PricedUsage {
  inputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
}

/** What the maintained catalog says about a model. */
export interface CatalogEntry {
  /** The catalog's own names, e.g. `anthropic` and `claude-sonnet-4-5`. */
  provider: string;
  model: string;
  contextWindow: number | undefined;
  /** Base rates (the first tier when a provider charges more for long prompts). */
  price: ModelPrice;
  /** `provider`: the configured provider's list; `endpoint`: the base URL's provider; `name`: the model name alone. */
  matchedBy: 'provider' | 'endpoint' | 'name';
  /** USD of a call, with the catalog's tiers and cache rates. */
  usd(usage: PricedUsage): number;
}

const require = createRequire(import.meta.url);

/** The catalog's name and version, for every sentence that says where a price came from. */
export const CATALOG = `@pydantic/genai-prices ${
  (
    JSON.parse(
      readFileSync(join(dirname(require.resolve('@pydantic/genai-prices')), '..', 'package.json'), 'utf8'),
    ) as { version: string }
  ).version
}`;

function rate(value: CatalogRates[string]): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value : value.base;
}

function usage(tokens: PricedUsage): Record<string, number> {
  // The catalog refuses cache partitions larger than the prompt; a provider's odd report is clamped.
  const cacheRead = Math.min(tokens.cachedTokens, tokens.inputTokens);
  const cacheWrite = Math.min(tokens.cacheWriteTokens, tokens.inputTokens - cacheRead);
  return {
    input_tokens: tokens.inputTokens,
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    output_tokens: tokens.outputTokens,
  };
}

function entry(model: string, providerId: string | undefined, matchedBy: CatalogEntry['matchedBy']) {
  const found = calcPrice({ input_tokens: 0, output_tokens: 0 }, model, providerId ? { providerId } : {});
  if (!found) return undefined;
  const rates = found.model_price;
  const provider = found.provider.id;
  const id = found.model.id;
  return {
    provider,
    model: id,
    contextWindow: found.model.context_window,
    price: {
      input: rate(rates.input_mtok) ?? 0,
      output: rate(rates.output_mtok) ?? 0,
      cached: rate(rates.cache_read_mtok),
      cacheWrite: rate(rates.cache_write_mtok),
    },
    matchedBy,
    usd: (tokens: PricedUsage) => calcPrice(usage(tokens), id, { providerId: provider })?.total_price ?? 0,
  } satisfies CatalogEntry;
}

/**
 * A model in the catalog bundled with @pydantic/genai-prices (no network: its remote update is
 * never called). Without a base URL the configured provider's list is searched; with one, the
 * provider that URL belongs to (Groq, Together, OpenRouter …); for a URL the catalog does not know
 * (a LiteLLM proxy, a self-hosted server) the model name alone, `provider/model` included.
 */
export function lookupModel(
  model: string,
  where: { provider: 'openai' | 'anthropic'; baseUrl?: string | undefined },
): CatalogEntry | undefined {
  const endpoint = where.baseUrl ? findProvider({ providerApiUrl: where.baseUrl }) : undefined;
  if (endpoint) return entry(model, endpoint.id, 'endpoint');
  if (!where.baseUrl) return entry(model, where.provider, 'provider');
  const slash = model.indexOf('/');
  const prefix = slash > 0 ? model.slice(0, slash) : undefined;
  const prefixed =
    prefix && findProvider({ providerId: prefix }) ? entry(model.slice(slash + 1), prefix, 'name') : undefined;
  return prefixed ?? entry(model, undefined, 'name');
}

/** USD of a call at flat rates (a configured price): cache reads and writes at their rates when given. */
export function priceUsage(
  price: ModelPrice,
  tokens: Omit<PricedUsage, 'cacheWriteTokens'> & { cacheWriteTokens?: number },
): number {
  const cached = Math.min(tokens.cachedTokens, tokens.inputTokens);
  const written = Math.min(tokens.cacheWriteTokens ?? 0, tokens.inputTokens - cached);
  const plain = tokens.inputTokens - cached - written;
  return (
    (plain * price.input +
      cached * (price.cached ?? price.input) +
      written * (price.cacheWrite ?? price.input) +
      tokens.outputTokens * price.output) /
    1_000_000
  );
}

/** `$0.15 / $0.60 per 1M in/out (cached $0.075)`: a price as a person reads it. */
export function describePrice(price: ModelPrice): string {
  const usd = (value: number) => `$${Number(value.toPrecision(4))}`;
  const extra = [
    price.cached !== undefined ? `cached ${usd(price.cached)}` : null,
    price.cacheWrite !== undefined ? `cache write ${usd(price.cacheWrite)}` : null,
  ].filter(Boolean);
  return `${usd(price.input)} / ${usd(price.output)} per 1M in/out${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
}
