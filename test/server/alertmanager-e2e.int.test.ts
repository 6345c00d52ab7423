import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/lab/load-scenario.js';
import { startLab, type Lab } from '../../src/lab/start-lab.js';
import { createSandbox, ROOT, type Sandbox } from '../cli/run-cli.js';
import {
  startAlertmanager,
  waitFor,
  type TestAlertmanager,
} from '../integrations/alertmanager/fixtures/start-alertmanager.js';
import {
  createClient,
  sampleValue,
  serveConfig,
  spawnServe,
  TOKEN,
  type ServeProcess,
} from './fixtures/spawn-serve.js';

const SCENARIO = join(ROOT, 'evals/scenarios/k8s-search-ranker-degraded');

/**
 * The rule fires on the scenario's own series (fewer ranker replicas available than desired)
 * while the test's switch series is 1: the test starts and ends the incident without reloading
 * Prometheus, whose notifier forgets its Alertmanagers for a few seconds at every reload.
 */
const RULES = `groups:
  - name: holmes-e2e
    interval: 1s
    rules:
      - alert: KubeDeploymentReplicasMismatch
        expr: (kube_deployment_spec_replicas{namespace="search"} - kube_deployment_status_replicas_available{namespace="search"} > 0) and on() (holmes_e2e_incident == 1)
        labels:
          severity: warning
          job: kube-state-metrics
        annotations:
          summary: Deployment has not matched the expected number of replicas.
`;

/** A scrape target serving one series the test sets: `holmes_e2e_incident 0|1`. */
async function startSwitch(): Promise<{ host: string; set(value: 0 | 1): void; close(): Promise<void> }> {
  let value = 0;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(`# TYPE holmes_e2e_incident gauge\nholmes_e2e_incident ${value}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    set: (next) => (value = next),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function prometheusData<T>(path: string): Promise<T> {
  const response = await fetch(`${lab.prometheusUrl}${path}`);
  return ((await response.json()) as { data: T }).data;
}

/** The receiver snippet of the README, with the token in a file as a Kubernetes Secret would mount it. */
function alertmanagerConfig(holmesUrl: string, tokenFile: string): string {
  return `route:
  receiver: holmes
  group_by: [alertname, namespace]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: holmes
    webhook_configs:
      - url: ${holmesUrl}/api/v1/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials_file: ${tokenFile}
`;
}

let lab: Lab;
let sandbox: Sandbox;
let holmes: ServeProcess | undefined;
let incident: Awaited<ReturnType<typeof startSwitch>> | undefined;
const alertmanagers: TestAlertmanager[] = [];

describe('holmes serve behind real Prometheus and Alertmanager', () => {
  beforeAll(async () => {
    lab = await startLab(await loadScenario(SCENARIO));
    sandbox = await createSandbox();
  }, 120_000);
  afterAll(async () => {
    await holmes?.stop();
    await incident?.close();
    for (const alertmanager of alertmanagers) await alertmanager.close();
    await lab?.close();
    await sandbox?.remove();
  });

  it(
    'investigates a firing rule once when an HA pair of Alertmanagers both deliver it, then records its resolution on the same investigation',
    { timeout: 240_000 },
    async () => {
      const config = await sandbox.write(
        'holmes.yaml',
        serveConfig({
          storagePath: join(sandbox.dir, 'store', 'holmes.db'),
          prometheusUrl: lab.prometheusUrl,
          kubeApiUrl: lab.kubeApiUrl,
        }),
      );
      holmes = await spawnServe(sandbox, config);
      const tokenFile = await sandbox.write('holmes-token', `${TOKEN}\n`);
      // Two Alertmanagers, not clustered: the worst case of an HA pair, each notifying on its own.
      for (let index = 0; index < 2; index += 1)
        alertmanagers.push(await startAlertmanager(alertmanagerConfig(holmes.url, tokenFile)));

      // The lab's Prometheus gets the rule, the switch to scrape and the Alertmanagers, and reloads (SIGHUP) as in production.
      incident = await startSwitch();
      const prometheusConfig = join(lab.prometheus.dataDir, 'prometheus.yml');
      const rulesFile = join(lab.prometheus.dataDir, 'holmes-e2e.rules.yml');
      await writeFile(rulesFile, RULES);
      const targets = alertmanagers.map((alertmanager) => `'${new URL(alertmanager.url).host}'`).join(', ');
      const original = await readFile(prometheusConfig, 'utf8');
      expect(original).toContain('scrape_configs: []');
      await writeFile(
        prometheusConfig,
        `${original.replace('scrape_configs: []', `scrape_configs:\n  - job_name: holmes-e2e\n    scrape_interval: 1s\n    static_configs:\n      - targets: ['${incident.host}']`)}` +
          `rule_files: ['${rulesFile}']\nalerting:\n  alertmanagers:\n    - static_configs:\n        - targets: [${targets}]\n`,
      );
      process.kill(lab.prometheus.pid, 'SIGHUP');
      await waitFor(async () => {
        const [{ activeAlertmanagers }, { groups }] = await Promise.all([
          prometheusData<{ activeAlertmanagers: unknown[] }>('/api/v1/alertmanagers'),
          prometheusData<{ groups: Array<{ name: string }> }>('/api/v1/rules'),
        ]);
        return activeAlertmanagers.length === 2 && groups.some((entry) => entry.name === 'holmes-e2e')
          ? true
          : undefined;
      }, 'Prometheus to load the rule and find both Alertmanagers');

      incident.set(1);
      await waitFor(async () => {
        const { alerts } = await prometheusData<{ alerts: Array<{ state: string }> }>('/api/v1/alerts');
        return alerts.some((alert) => alert.state === 'firing') ? true : undefined;
      }, 'the rule to fire');

      const client = createClient(holmes.url);
      const [investigation] = await waitFor(
        async () => {
          const rows = await client.list('?status=completed');
          return rows.length > 0 ? rows : undefined;
        },
        'the investigation to complete',
        120_000,
      );
      // Both Alertmanagers delivered; the second delivery was recognised as the same alert.
      await waitFor(
        async () => (sampleValue(await client.metrics(), 'holmes_alerts_deduplicated_total') >= 1 ? true : undefined),
        'the second delivery',
      );
      const metrics = await client.metrics();
      expect(sampleValue(metrics, 'holmes_alerts_received_total', 'status="firing"')).toBeGreaterThanOrEqual(2);
      expect(sampleValue(metrics, 'holmes_webhook_rejected_total')).toBe(0);
      expect(sampleValue(metrics, 'holmes_investigations_total', 'status="completed"')).toBe(1);

      const all = await client.list();
      expect(all).toHaveLength(1);
      expect(all[0]).toMatchObject({
        alertname: 'KubeDeploymentReplicasMismatch',
        state: 'completed',
        rootCause: lab.scenario.expected.rootCause,
        resolvedAt: null,
      });
      expect(all[0]!.groupKey).toContain('alertname="KubeDeploymentReplicasMismatch"');
      const detail = await client.get(investigation!.id);
      expect(detail.result!.rootCause!.id).toBe(lab.scenario.expected.rootCause);
      expect(detail.result!.alert.labels).toMatchObject({
        namespace: 'search',
        deployment: 'ranker',
        severity: 'warning',
      });
      expect(detail.alerts).toHaveLength(1);

      // The condition clears: Prometheus resolves the alert, both Alertmanagers send the resolution.
      incident.set(0);
      const resolved = await waitFor(
        async () => {
          const rows = await client.list();
          return rows[0]?.resolvedAt ? rows : undefined;
        },
        'the resolution',
        120_000,
      );
      expect(resolved).toHaveLength(1);
      expect(resolved[0]).toMatchObject({ id: investigation!.id, state: 'completed' });
      expect((await client.get(investigation!.id)).alerts.map((alert) => alert.status)).toEqual(['resolved']);
      expect(
        sampleValue(await client.metrics(), 'holmes_alerts_received_total', 'status="resolved"'),
      ).toBeGreaterThanOrEqual(1);
      // The server never logged the token it was sent.
      expect(holmes.stderr()).not.toContain(TOKEN);
    },
  );
});
