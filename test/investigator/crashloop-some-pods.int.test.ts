import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { InvestigationResult } from '../../src/core/investigation.js';
import { createInvestigator } from '../../src/investigator/create-investigator.js';
import { configForLab } from '../../src/lab/config-for-lab.js';
import { loadScenario } from '../../src/lab/load-scenario.js';
import { startLab, type Lab } from '../../src/lab/start-lab.js';

const SCENARIO = fileURLToPath(
  new URL('../../evals/scenarios/receipt-ocr-3-of-8-crashloop-node-accelerator-profile/', import.meta.url),
);

describe('a crash loop that only some pods explain (in the lab)', () => {
  let lab: Lab;
  let result: InvestigationResult;

  beforeAll(async () => {
    const scenario = await loadScenario(SCENARIO);
    lab = await startLab(scenario);
    const { config } = loadConfig({ env: {} });
    result = await (await createInvestigator(configForLab(config, lab))).investigate(scenario.alert);
  });
  afterAll(() => lab?.close());

  it('names the configuration error that 3 of the 8 pods share, and the one node they run on', () => {
    expect(result.rootCause?.id).toBe('crashloop-bad-config');
    const across = result.hypotheses[0]!.evidence.find((evidence) => evidence.check === 'config-error-across-pods');
    expect(across?.verdict).toBe('supports');
    expect(across?.sentence).toMatch(/^3 of 8 pods log it, all on ip-10-9-46-230\S*; the logs of the other 5 do not: /);
    expect(across?.sentence).toContain("precision 'fp8' is not supported");
    // Every pod was read, the crashed instances too, not only the first pod or the unhealthy containers.
    expect(across?.tool.requests.filter((request) => request.includes('/log?')).length).toBe(12);
  });
});
