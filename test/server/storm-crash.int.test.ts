/**
 * Storm with a crash: three `holmes serve` replicas on one PostgreSQL take a storm of alerts in
 * many groups, posted by this (second) process as Alertmanager would: each group's notification
 * repeats the group's earlier alerts and adds new ones, and a notification that gets no 2xx is sent
 * again (to another replica). Half-way one replica is killed with SIGKILL while it holds
 * investigations in the middle of their Prometheus queries, then started again.
 *
 * It runs the figure: 5,000 alerts in 200 groups of 25, five notifications per group
 * (43 s alone, about 150 s inside the full suite on a loaded 2-core machine, the slowest file by
 * far); HOLMES_STORM_GROUPS=80 runs the same shape on 2,000 alerts. The investigations are the deterministic
 * investigator's (no model) against one lab scenario, a real Prometheus and Kubernetes API
 * endpoint, so each one really queries and can be caught in the middle.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/alert.js';
import { loadScenario } from '../../src/lab/load-scenario.js';
import { startLab, type Lab } from '../../src/lab/start-lab.js';
import { createSandbox, ROOT, type Sandbox } from '../cli/run-cli.js';
import { startPostgresCluster, type PostgresCluster } from '../fixtures/postgres-cluster.js';
import { waitFor } from '../integrations/alertmanager/fixtures/start-alertmanager.js';
import { startGateProxy, type GateProxy } from './fixtures/gate-proxy.js';
import { createClient, serveConfig, spawnServe, type ServeProcess } from './fixtures/spawn-serve.js';
import { makeAlert, webhookBody } from './fixtures/webhook.js';

const SCENARIO = join(ROOT, 'evals/scenarios/k8s-search-ranker-degraded');
const GROUPS = Number(process.env.HOLMES_STORM_GROUPS ?? 200);
const ALERTS_PER_GROUP = 25;
/** Each group's alerts arrive over this many notifications, each repeating the ones before. */
const WAVES = 5;
const IN_FLIGHT = 12;
const LEASE_MS = 2_000;

let cluster: PostgresCluster | undefined;
let lab: Lab | undefined;
let gate: GateProxy | undefined;
let sandbox: Sandbox | undefined;
const servers: ServeProcess[] = [];

const key = (alert: Pick<Alert, 'fingerprint' | 'startsAt'>) => `${alert.fingerprint}|${alert.startsAt}`;

beforeAll(async () => {
  [cluster, lab, sandbox] = await Promise.all([
    startPostgresCluster(),
    loadScenario(SCENARIO).then(startLab),
    createSandbox(),
  ]);
  gate = await startGateProxy(lab.prometheusUrl);
}, 120_000);

afterAll(async () => {
  for (const server of servers) await server.stop();
  await gate?.close();
  await lab?.close();
  await cluster?.stop();
  await sandbox?.remove();
});

describe('holmes serve replicas on PostgreSQL in an alert storm', () => {
  it(
    'puts every acknowledged alert in exactly one completed investigation when a replica is killed half-way and restarted',
    { timeout: 600_000 },
    async () => {
      const url = await cluster!.createDatabase();
      const options = {
        storagePath: join(sandbox!.dir, 'unused.db'),
        kubeApiUrl: lab!.kubeApiUrl,
        concurrency: 2,
        maxQueue: 10_000,
        maxAlertsPerGroup: ALERTS_PER_GROUP,
        postgres: { url, leaseMs: LEASE_MS },
      };
      const direct = await sandbox!.write(
        'direct.yaml',
        serveConfig({ ...options, prometheusUrl: lab!.prometheusUrl }),
      );
      // The replica to be killed reads Prometheus through the gate, so it can be caught mid-investigation.
      const gated = await sandbox!.write('gated.yaml', serveConfig({ ...options, prometheusUrl: gate!.url }));
      const replicas = await Promise.all([
        spawnServe(sandbox!, direct),
        spawnServe(sandbox!, gated),
        spawnServe(sandbox!, direct),
      ]);
      servers.push(...replicas);
      const live = new Set(replicas);

      // The scenario's alert, told apart by a shard label (the group) and an instance label (the alert).
      const { labels, startsAt } = lab!.scenario.alert;
      const groups = Array.from({ length: GROUPS }, (_, shard) => {
        const groupKey = `{}:{alertname="${labels.alertname}", shard="${shard}"}`;
        const alerts = Array.from({ length: ALERTS_PER_GROUP }, (_, instance) =>
          makeAlert({ ...labels, shard: String(shard), storm_instance: String(instance) }, { startsAt }),
        );
        return { groupKey, alerts };
      });
      // A group's notifications are SPREAD slots apart, so new groups keep starting until the end
      // and there is always work in flight when the replica is killed.
      const SPREAD = 20;
      const step = ALERTS_PER_GROUP / WAVES;
      const notifications = groups
        .flatMap((group, shard) =>
          Array.from({ length: WAVES }, (_, wave) => ({
            slot: shard + wave * SPREAD,
            body: webhookBody(group.groupKey, group.alerts.slice(0, (wave + 1) * step)),
          })),
        )
        .sort((left, right) => left.slot - right.slot)
        .map((entry) => entry.body);

      const acknowledged = new Set<string>();
      let sent = 0;
      let retried = 0;
      let killed: { pid: number; heldAtKill: string[] } | undefined;
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      try {
        const post = async (body: (typeof notifications)[number], attempt: number): Promise<void> => {
          const targets = [...live];
          const target = targets[(sent + attempt) % targets.length]!;
          sent += 1;
          try {
            const response = await createClient(target.url).postWebhook(body);
            if (response.ok) {
              for (const alert of body.alerts) acknowledged.add(key(alert));
              return;
            }
          } catch {
            // The replica is gone (or going): Alertmanager would try again.
          }
          retried += 1;
          await new Promise((resolve) => setTimeout(resolve, 50));
          return post(body, attempt + 1);
        };

        const killHalfWay = async () => {
          const victim = replicas[1]!;
          gate!.shut();
          await waitFor(() => (gate!.held() > 0 ? true : undefined), 'the gated replica to query Prometheus', 120_000);
          const { rows } = await pool.query<{ id: string }>(
            `SELECT id FROM investigations WHERE state = 'running' AND lease_owner LIKE $1`,
            [`%:${victim.child.pid}:%`],
          );
          live.delete(victim);
          victim.child.kill('SIGKILL');
          expect(await victim.exited).toMatchObject({ signal: 'SIGKILL' });
          killed = { pid: victim.child.pid!, heldAtKill: rows.map((row) => row.id) };
          gate!.open();
          const restarted = await spawnServe(sandbox!, gated);
          servers.push(restarted);
          live.add(restarted);
        };

        let next = 0;
        let killing: Promise<void> | undefined;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: IN_FLIGHT }, async () => {
            while (next < notifications.length) {
              const index = next++;
              if (index === Math.floor(notifications.length / 2)) killing = killHalfWay();
              await post(notifications[index]!, 0);
            }
          }),
        );
        await killing;
        const postedMs = performance.now() - started;

        await waitFor(
          async () => {
            const { rows } = await pool.query<{ open: number }>(
              `SELECT count(*)::int AS open FROM investigations WHERE state IN ('queued', 'running')`,
            );
            return rows[0]!.open === 0 ? true : undefined;
          },
          'every investigation to finish',
          480_000,
        );
        console.log(
          `storm: ${acknowledged.size} alerts acknowledged in ${notifications.length} notifications (${retried} sent again) over ${(postedMs / 1000).toFixed(1)} s; replica ${killed?.pid} killed holding ${killed?.heldAtKill.length} investigations`,
        );

        // Every alert of the storm was acknowledged once its notification got through.
        expect(acknowledged.size).toBe(GROUPS * ALERTS_PER_GROUP);
        expect(killed!.heldAtKill.length).toBeGreaterThan(0);

        const alerts = await pool.query<{ key: string; group_key: string; investigation_id: string | null }>(
          `SELECT fingerprint || '|' || starts_at AS key, group_key, investigation_id FROM alerts`,
        );
        const investigations = await pool.query<{
          id: string;
          group_key: string;
          state: string;
          attempts: number;
          root_cause: string | null;
        }>(`SELECT id, group_key, state, attempts, root_cause FROM investigations`);
        const byId = new Map(investigations.rows.map((row) => [row.id, row]));
        // None lost: every acknowledged alert is stored, in an investigation of its own group.
        const stored = new Map(alerts.rows.map((row) => [row.key, row]));
        const lost = [...acknowledged].filter((alert) => !stored.get(alert)?.investigation_id);
        expect(lost).toEqual([]);
        // None duplicated: one row per alert, one investigation per group, and every one completed.
        expect(alerts.rows).toHaveLength(acknowledged.size);
        expect(investigations.rows).toHaveLength(GROUPS);
        expect(new Set(investigations.rows.map((row) => row.group_key)).size).toBe(GROUPS);
        for (const row of alerts.rows) {
          const investigation = byId.get(row.investigation_id!);
          expect(investigation?.group_key, row.key).toBe(row.group_key);
        }
        expect(investigations.rows.filter((row) => row.state !== 'completed')).toEqual([]);
        // Completed as one replica alone completes the scenario: its cause found, each time.
        expect(new Set(investigations.rows.map((row) => row.root_cause))).toEqual(
          new Set([lab!.scenario.expected.rootCause]),
        );
        // The killed replica's work was taken over by another replica after its lease ran out: run once more, not lost.
        for (const id of killed!.heldAtKill) expect(byId.get(id)?.attempts, id).toBeGreaterThanOrEqual(2);
        // The API of any replica reads the same store.
        const listed = await createClient([...live][0]!.url).list('?limit=1000&status=completed');
        expect(listed.length).toBe(GROUPS);
      } finally {
        await pool.end();
      }
    },
  );
});
