import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/alert.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createInvestigator, type Investigator } from '../../src/investigator/create-investigator.js';
import { loadScenario } from '../../src/lab/load-scenario.js';
import { configForLab } from '../../src/lab/config-for-lab.js';
import { startLab, type Lab } from '../../src/lab/start-lab.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/scenarios/gpu-noisy-neighbor-chat/', import.meta.url));

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('investigate (deterministic, in the lab)', () => {
  let lab: Lab;
  let investigator: Investigator;
  let alert: Alert;

  beforeAll(async () => {
    const scenario = await loadScenario(FIXTURE);
    alert = scenario.alert;
    lab = await startLab(scenario);
    const { config } = loadConfig({ env: {} });
    investigator = await createInvestigator(configForLab(config, lab));
  });
  afterAll(() => lab?.close());

  it('returns a completed result with ranked hypotheses, evidence and timings', async () => {
    const result = await investigator.investigate(alert);
    expect(result.status).toBe('completed');
    expect(result.mode).toBe('deterministic');
    expect(result.hypotheses.length).toBeGreaterThan(0);
    expect(result.usage.queries).toBeGreaterThan(0);
    expect(result.usage.inputTokens).toBe(0);
    for (const hypothesis of result.hypotheses)
      for (const evidence of hypothesis.evidence) expect(evidence.sentence.length).toBeGreaterThan(0);
    expect(result.entities.pods.length).toBeGreaterThan(0);
  });

  it('still investigates an alert with nothing but a name, and says what it could not resolve', async () => {
    const result = await investigator.investigate({ ...alert, labels: { alertname: 'SomethingOdd' } });
    expect(['completed', 'degraded']).toContain(result.status);
    expect(result.entities.pods).toEqual([]);
    expect(result.notChecked.some((item) => /could not resolve/.test(item))).toBe(true);
  });

  it('names a pod from the labels that does not exist as unresolved', async () => {
    const result = await investigator.investigate({
      ...alert,
      labels: { alertname: 'PodDown', namespace: 'llm', pod: 'no-such-pod-0' },
    });
    expect(result.entities.unresolved.join(' ')).toContain('no-such-pod-0');
  });

  it('is degraded, not failed, when Prometheus is unreachable', async () => {
    const { config } = loadConfig({ env: {} });
    const offline = await createInvestigator({
      ...config,
      prometheus: { ...config.prometheus, url: `http://127.0.0.1:${await closedPort()}`, timeoutMs: 2000 },
      kubernetes: { ...config.kubernetes, server: lab.kubeApiUrl },
    });
    const result = await offline.investigate(alert);
    expect(result.status).toBe('degraded');
    expect(result.entities.pods.length).toBeGreaterThan(0);
    expect(offline.toolbox.statuses.find((status) => status.id === 'prometheus/metrics')?.status).toBe('failed');
  });
});
