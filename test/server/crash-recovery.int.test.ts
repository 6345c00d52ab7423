import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/lab/load-scenario.js';
import { startLab, type Lab } from '../../src/lab/start-lab.js';
import { createSandbox, ROOT, type Sandbox } from '../cli/run-cli.js';
import { waitFor } from '../integrations/alertmanager/fixtures/start-alertmanager.js';
import { startGateProxy, type GateProxy } from './fixtures/gate-proxy.js';
import { createClient, serveConfig, spawnServe, type ServeProcess } from './fixtures/spawn-serve.js';
import { makeAlert, webhookBody } from './fixtures/webhook.js';

const SCENARIO = join(ROOT, 'evals/scenarios/k8s-search-ranker-degraded');
const GROUPS = 10;

let lab: Lab;
let gate: GateProxy;
let sandbox: Sandbox;
const servers: ServeProcess[] = [];

function storeRows(path: string): Array<{ group_key: string; state: string; attempts: number }> {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT group_key, state, attempts FROM investigations').all() as Array<{
      group_key: string;
      state: string;
      attempts: number;
    }>;
  } finally {
    db.close();
  }
}

describe('holmes serve after kill -9', () => {
  beforeAll(async () => {
    lab = await startLab(await loadScenario(SCENARIO));
    gate = await startGateProxy(lab.prometheusUrl);
    sandbox = await createSandbox();
  }, 120_000);
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await gate?.close();
    await lab?.close();
    await sandbox?.remove();
  });

  it(
    'investigates every accepted group exactly once when killed with a queue full of work and restarted',
    { timeout: 240_000 },
    async () => {
      const storePath = join(sandbox.dir, 'store', 'holmes.db');
      const config = await sandbox.write(
        'holmes.yaml',
        serveConfig({ storagePath: storePath, prometheusUrl: gate.url, kubeApiUrl: lab.kubeApiUrl, concurrency: 1 }),
      );
      const first = await spawnServe(sandbox, config);
      servers.push(first);
      const client = createClient(first.url);

      // Ten groups of the scenario's alert, told apart by one label; each POST's 2xx means "persisted".
      const accepted: string[] = [];
      for (let index = 0; index < GROUPS; index += 1) {
        const alert = makeAlert(
          { ...lab.scenario.alert.labels, replica_check: String(index) },
          { startsAt: lab.scenario.alert.startsAt },
        );
        const groupKey = `{}:{alertname="${alert.labels.alertname}", replica_check="${index}"}`;
        const response = await client.postWebhook(webhookBody(groupKey, [alert]));
        expect(response.status).toBe(200);
        accepted.push(groupKey);
      }
      await waitFor(
        async () => ((await client.list('?status=completed')).length >= 2 ? true : undefined),
        'two investigations to complete',
        120_000,
      );
      // Catch the next investigation in the middle of its Prometheus queries, then kill.
      gate.shut();
      await waitFor(() => (gate.held() > 0 ? true : undefined), 'an investigation to query Prometheus');
      first.child.kill('SIGKILL');
      expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });

      const atKill = storeRows(storePath);
      const byState = (state: string) => atKill.filter((row) => row.state === state).length;
      expect(atKill).toHaveLength(GROUPS);
      expect(byState('running')).toBe(1);
      expect(byState('queued')).toBeGreaterThan(0);
      const completedBefore = atKill.filter((row) => row.state === 'completed').map((row) => row.group_key);
      expect(completedBefore.length).toBeGreaterThanOrEqual(2);
      const interrupted = atKill.find((row) => row.state === 'running')!.group_key;

      gate.open();
      const second = await spawnServe(sandbox, config);
      servers.push(second);
      const secondClient = createClient(second.url);
      await waitFor(
        async () => {
          const rows = await secondClient.list();
          return rows.every((row) => row.state !== 'queued' && row.state !== 'running') ? rows : undefined;
        },
        'the queue to drain',
        180_000,
      );

      const rows = await secondClient.list('?limit=1000');
      expect(rows.map((row) => row.groupKey).sort()).toEqual([...accepted].sort());
      for (const row of rows) {
        expect(row.state, row.groupKey).toBe('completed');
        expect(row.rootCause, row.groupKey).toBe(lab.scenario.expected.rootCause);
        // Only the investigation the kill interrupted ran twice; finished ones were not run again.
        expect(row.attempts, row.groupKey).toBe(row.groupKey === interrupted ? 2 : 1);
      }
      expect(
        completedBefore.every((groupKey) => rows.some((row) => row.groupKey === groupKey && row.attempts === 1)),
      ).toBe(true);
      expect(second.stderr()).toContain('requeued investigations left running by a previous process');
    },
  );
});
