import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { runEval } from '../../src/evaluation/run-eval.js';

const SCENARIOS = fileURLToPath(new URL('../../evals/scenarios/', import.meta.url));

describe('runEval on the public scenarios', () => {
  it('finds the expected root cause of every public scenario (top-1)', async () => {
    const { config } = loadConfig({ env: {} });
    const report = await runEval(SCENARIOS, config);
    expect(report.total).toBeGreaterThanOrEqual(25);
    const failures = report.results
      .filter((result) => !result.passed)
      .map(
        (result) =>
          `${result.id}: expected ${result.expected}, got ${result.actual} [${result.top3.join(', ')}]${result.error ? ` error ${result.error}` : ''}`,
      );
    expect(failures).toEqual([]);
    // Every cause of the vocabulary is exercised by at least one public scenario, and `none` by six.
    expect(new Set(report.results.map((result) => result.expected).filter((cause) => cause !== 'none')).size).toBe(17);
    expect(report.results.filter((result) => result.expected === 'none').length).toBeGreaterThanOrEqual(6);
    // Holmes names a cause only when it is right.
    expect(report.precision).toBe(1);
  }, 600_000);
});
