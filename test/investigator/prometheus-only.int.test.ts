import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Alert } from '../../src/core/alert.js';
import { createInvestigator } from '../../src/investigator/create-investigator.js';
import { configForLab } from '../../src/lab/config-for-lab.js';
import { loadScenario } from '../../src/lab/load-scenario.js';
import type { Scenario, ScenarioSeries } from '../../src/lab/scenario.js';
import { startLab, type Lab } from '../../src/lab/start-lab.js';

const SCENARIO = fileURLToPath(
  new URL('../../evals/scenarios/research-notebooks-idle-h100-reservations/', import.meta.url),
);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * What kube-state-metrics exports for the scenario's pods: kube_pod_start_time is status.startTime
 * in Unix seconds (https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/pod-metrics.md).
 */
function podStartSeries(scenario: Scenario): ScenarioSeries[] {
  const length = Math.max(...scenario.series.map((series) => series.values.length));
  return scenario.objects.flatMap((object) => {
    const startTime = (object.status as { startTime?: string } | undefined)?.startTime;
    if (object.kind !== 'Pod' || !startTime) return [];
    return [
      {
        metric: 'kube_pod_start_time',
        labels: {
          job: 'kube-state-metrics',
          namespace: object.metadata.namespace ?? '',
          pod: object.metadata.name,
          uid: String(object.metadata.uid ?? ''),
        },
        values: Array.from({ length }, () => Date.parse(startTime) / 1000),
      },
    ];
  });
}

describe('investigate from Prometheus alone (Kubernetes API unreachable)', () => {
  let lab: Lab;
  let alert: Alert;
  let port: number;

  beforeAll(async () => {
    const scenario = await loadScenario(SCENARIO);
    alert = scenario.alert;
    lab = await startLab({ ...scenario, series: [...scenario.series, ...podStartSeries(scenario)] });
    port = await closedPort();
  });
  afterAll(() => lab?.close());

  it('finds idle GPU reservations with the pods dated by kube_pod_start_time when the API does not answer', async () => {
    const { config } = loadConfig({ env: {} });
    const labConfig = configForLab(config, lab);
    const investigator = await createInvestigator({
      ...labConfig,
      kubernetes: { ...labConfig.kubernetes, server: `http://127.0.0.1:${port}`, timeoutMs: 2_000 },
    });
    const result = await investigator.investigate(alert);
    expect(result.rootCause?.id).toBe('idle-gpu-reservation');
    const held = result.hypotheses[0]!.evidence.find((evidence) => evidence.check === 'idle-gpus-held');
    expect(held?.verdict).toBe('supports');
    for (const pod of ['jupyter-d-varga', 'jupyter-lchen', 'jupyter-s-nakamura', 'jupyter-r-bhatt'])
      expect(held?.sentence).toContain(pod);
    expect(held?.tool.requests.some((request) => request.includes('kube_pod_start_time'))).toBe(true);
  });
});
