import { setTimeout as sleep } from 'node:timers/promises';
import { HolmesError } from '../../core/errors.js';

/**
 * Resolves once Prometheus's series API (the querier every query uses) lists `expected`
 * series, so the caller's first query cannot race the blocks being loaded.
 */
export async function waitForSeries(url: string, expected: number, deadline: number): Promise<void> {
  if (expected === 0) return;
  const query = new URLSearchParams({ 'match[]': '{__name__=~".+"}' });
  let seen = 0;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/api/v1/series?${query}`, { signal: AbortSignal.timeout(5_000) });
      const body = (await response.json()) as { data?: unknown[] };
      seen = Array.isArray(body.data) ? body.data.length : 0;
      if (seen >= expected) return;
    } catch {
      // Retried until the deadline.
    }
    await sleep(20);
  }
  throw new HolmesError(
    'LAB_START_FAILED',
    `Prometheus at ${url} lists ${seen} of the scenario's ${expected} series.`,
    {
      fix: 'Check the Prometheus log; the backfilled blocks may lie outside retention or have failed to load.',
    },
  );
}
