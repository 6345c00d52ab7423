import type { HolmesConfig } from '../config/config-schema.js';
import type { SpendLedger } from '../ledger/spend-ledger.js';

/** Where the spend metrics are read from at each scrape: the ledger every process of the store writes. */
export interface SpendSource {
  ledger: Pick<SpendLedger, 'totals' | 'spent'>;
  budget: HolmesConfig['budget'];
}

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/**
 * Model tokens per team, model and direction. The directions add up to the whole: `input` is the
 * uncached part of the prompts, `cache_read` and `cache_write` the cached parts (priced apart),
 * `output` the completions.
 */
export async function tokenSamples(source: SpendSource): Promise<Sample[]> {
  return (await source.ledger.totals()).flatMap((row) => {
    const labels = { team: row.team, model: row.model };
    const uncached = Math.max(0, row.inputTokens - row.cachedTokens - row.cacheWriteTokens);
    return [
      { labels: { ...labels, direction: 'input' }, value: uncached },
      { labels: { ...labels, direction: 'cache_read' }, value: row.cachedTokens },
      { labels: { ...labels, direction: 'cache_write' }, value: row.cacheWriteTokens },
      { labels: { ...labels, direction: 'output' }, value: row.outputTokens },
    ];
  });
}

/** USD per team and model: cached tokens at their price, estimates included. */
export async function usdSamples(source: SpendSource): Promise<Sample[]> {
  return (await source.ledger.totals()).map((row) => ({
    labels: { team: row.team, model: row.model },
    value: row.usd,
  }));
}

/** Calls whose figures are estimates (no usage reported, timed out, cut off), per team and model. */
export async function estimatedSamples(source: SpendSource): Promise<Sample[]> {
  return (await source.ledger.totals()).map((row) => ({
    labels: { team: row.team, model: row.model },
    value: row.estimatedCalls,
  }));
}

/** Calls whose reported usage was far above their reservation, per team and model. */
export async function flaggedSamples(source: SpendSource): Promise<Sample[]> {
  return (await source.ledger.totals()).map((row) => ({
    labels: { team: row.team, model: row.model, flag: 'over_reservation' },
    value: row.flaggedCalls,
  }));
}

/** USD left per team and period: the configured teams and those that spent, against their limits. */
export async function remainingSamples(source: SpendSource): Promise<Sample[]> {
  const { budget } = source;
  const teams = new Set([...Object.keys(budget.teams), ...(await source.ledger.totals()).map((row) => row.team)]);
  const spentByTeam = await Promise.all(
    [...teams].map(async (team) => [team, await source.ledger.spent(team)] as const),
  );
  return spentByTeam.flatMap(([team, spent]) => {
    const limits = budget.teams[team] ?? budget.otherTeams;
    return [
      ...(limits.dailyUsd !== undefined
        ? [{ labels: { team, period: 'day' }, value: limits.dailyUsd - spent.dayUsd }]
        : []),
      ...(limits.monthlyUsd !== undefined
        ? [{ labels: { team, period: 'month' }, value: limits.monthlyUsd - spent.monthUsd }]
        : []),
    ];
  });
}

/** Replaces a metric's series by samples (a counter's value is the ledger's total, which only grows). */
export function fill(
  metric: {
    reset(): void;
    inc?(labels: Record<string, string>, value: number): void;
    set?(labels: Record<string, string>, value: number): void;
  },
  samples: Sample[],
): void {
  metric.reset();
  for (const sample of samples) {
    if (metric.set) metric.set(sample.labels, sample.value);
    else metric.inc?.(sample.labels, sample.value);
  }
}
