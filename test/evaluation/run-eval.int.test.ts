import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { HolmesError } from '../../src/core/errors.js';
import { runEval } from '../../src/evaluation/run-eval.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));

describe('runEval', () => {
  const saved = process.env.HOLMES_PROMETHEUS_BIN;
  afterEach(() => {
    if (saved === undefined) delete process.env.HOLMES_PROMETHEUS_BIN;
    else process.env.HOLMES_PROMETHEUS_BIN = saved;
  });

  it('stops the whole run with DEPENDENCY_MISSING when there is no Prometheus binary', async () => {
    process.env.HOLMES_PROMETHEUS_BIN = '/nonexistent/prometheus';
    const error = await runEval(FIXTURES, loadConfig({ env: {} }).config).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(HolmesError.isInstance(error) && error.code).toBe('DEPENDENCY_MISSING');
  });

  it('stops with SCENARIO_NOT_FOUND for a folder that does not exist', async () => {
    await expect(runEval('/nonexistent/scenarios', loadConfig({ env: {} }).config)).rejects.toMatchObject({
      code: 'SCENARIO_NOT_FOUND',
    });
  });
});
