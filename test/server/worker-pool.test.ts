import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/alert.js';
import type { InvestigationResult } from '../../src/core/investigation.js';
import { createLogger } from '../../src/core/logger.js';
import {
  createInvestigationStore,
  type AcceptOptions,
  type InvestigationStore,
} from '../../src/ledger/investigation-store.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createServerMetrics, type ServerMetrics } from '../../src/server/server-metrics.js';
import { createWorkerPool, type WorkerPool } from '../../src/server/worker-pool.js';
import { waitFor } from '../integrations/alertmanager/fixtures/start-alertmanager.js';
import { group, resultFor } from './fixtures/webhook.js';

const OPTIONS: AcceptOptions = {
  groupKey: 'g',
  groupStatus: 'firing',
  source: 'webhook',
  maxQueue: 100,
  maxAlertsPerGroup: 20,
};

/** An investigator whose runs end when the test says so; it records what it was given. */
function createScriptedInvestigator() {
  const runs: Array<{ alerts: Alert[]; finish: (result?: InvestigationResult) => void; fail: (error: Error) => void }> =
    [];
  let running = 0;
  let maxRunning = 0;
  return {
    runs,
    maxRunning: () => maxRunning,
    run: (alerts: Alert[]) =>
      new Promise<InvestigationResult>((resolve, reject) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        const done = () => (running -= 1);
        runs.push({
          alerts,
          finish: (result) => (done(), resolve(result ?? resultFor(alerts))),
          fail: (error) => (done(), reject(error)),
        });
      }),
  };
}

let db: Db;
let store: InvestigationStore;
let metrics: ServerMetrics;
let pool: WorkerPool | undefined;

async function startPool(
  investigator: ReturnType<typeof createScriptedInvestigator>,
  concurrency: number,
): Promise<WorkerPool> {
  pool = createWorkerPool({
    store,
    run: investigator.run,
    concurrency,
    logger: await createLogger({ level: 'silent' }),
    metrics,
    pollMs: 20,
  });
  await pool.start();
  return pool;
}

describe('createWorkerPool', () => {
  beforeEach(() => {
    db = openDatabase({ path: ':memory:' });
    store = createInvestigationStore(db);
    metrics = createServerMetrics();
  });
  afterEach(async () => {
    await pool?.stop(0);
    pool = undefined;
    if (db.open) db.close();
  });

  it('runs at most `concurrency` investigations at once and records each result', async () => {
    for (const name of ['A', 'B', 'C', 'D']) await store.accept(group(name, 2).alerts, { ...OPTIONS, groupKey: name });
    const investigator = createScriptedInvestigator();
    const workers = await startPool(investigator, 2);
    workers.notify();
    await waitFor(() => (investigator.runs.length === 2 ? true : undefined), 'two runs');
    expect(await store.countsByState()).toEqual({ running: 2, queued: 2 });
    for (let index = 0; index < 4; index += 1) {
      await waitFor(() => investigator.runs[index], `run ${index}`);
      investigator.runs[index]!.finish();
    }
    await waitFor(async () => ((await store.countsByState()).completed === 4 ? true : undefined), 'all completed');
    expect(investigator.maxRunning()).toBe(2);
    expect(investigator.runs.map((run) => run.alerts.length)).toEqual([2, 2, 2, 2]);
    expect(await metrics.registry.getSingleMetricAsString('holmes_investigations_total')).toContain(
      'holmes_investigations_total{mode="deterministic",status="completed"} 4',
    );
  });

  it('records a failed investigation with its error and keeps working when a run throws', async () => {
    await store.accept(group('A', 1).alerts, { ...OPTIONS, groupKey: 'a' });
    await store.accept(group('B', 1).alerts, { ...OPTIONS, groupKey: 'b' });
    const investigator = createScriptedInvestigator();
    await startPool(investigator, 1);
    (await waitFor(() => investigator.runs[0], 'first run')).fail(new Error('Prometheus unreachable'));
    (await waitFor(() => investigator.runs[1], 'second run')).finish();
    await waitFor(async () => ((await store.countsByState()).completed === 1 ? true : undefined), 'second completed');
    expect((await store.list({ state: 'failed' }))[0]).toMatchObject({
      alertname: 'A',
      error: 'Prometheus unreachable',
    });
  });

  it('requeues what is still running after the grace period on stop, and writes nothing afterwards', async () => {
    const { investigationId } = await store.accept(group('A', 1).alerts, OPTIONS);
    const investigator = createScriptedInvestigator();
    const workers = await startPool(investigator, 1);
    const run = await waitFor(() => investigator.runs[0], 'run');
    await workers.stop(10);
    pool = undefined;
    expect(await store.get(investigationId!)).toMatchObject({ state: 'queued', attempts: 0 });
    // The server closes the store after stop(); the late result must neither land nor crash the process.
    db.close();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      run.finish();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    expect(rejections).toEqual([]);
  });

  it('waits for in-flight work to finish within the grace period on stop', async () => {
    const { investigationId } = await store.accept(group('A', 1).alerts, OPTIONS);
    const investigator = createScriptedInvestigator();
    const workers = await startPool(investigator, 1);
    const run = await waitFor(() => investigator.runs[0], 'run');
    const stopping = workers.stop(30_000);
    run.finish();
    await stopping;
    pool = undefined;
    expect(await store.get(investigationId!)).toMatchObject({ state: 'completed' });
  });

  it('picks up what a previous process left running when it starts', async () => {
    const { investigationId } = await store.accept(group('A', 1).alerts, OPTIONS);
    await store.claimNext({ owner: 'a-process-that-died', ms: 30_000 }); // Left running by a process that died.
    const investigator = createScriptedInvestigator();
    await startPool(investigator, 1);
    (await waitFor(() => investigator.runs[0], 'rerun')).finish();
    await waitFor(
      async () => ((await store.get(investigationId!))!.state === 'completed' ? true : undefined),
      'completed',
    );
    expect((await store.get(investigationId!))!.attempts).toBe(2);
  });
});
