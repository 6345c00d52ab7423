import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { graphFileName } from '../../src/integrations/jira/index.js';
import { createInvestigationStore } from '../../src/ledger/investigation-store.js';
import { createJiraStore } from '../../src/ledger/jira-store.js';
import { createSqliteRunner } from '../../src/ledger/sql-runner.js';
import { createOutbox } from '../../src/ledger/outbox.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createServerMetrics } from '../../src/server/server-metrics.js';
import { startJira, type JiraHooks } from '../../src/server/start-jira.js';
import { createPrometheusClient } from '../../src/telemetry/prometheus-client.js';
import { samples, startFakePrometheus } from '../graphs/fake-prometheus.js';
import { specFor, STEP } from '../graphs/graph-fixtures.js';
import { API_TOKEN, EMAIL, GROUP, chatAlert, richResult } from '../integrations/jira/jira-harness.js';
import { startJiraStandIn, type JiraStandIn } from '../integrations/jira/jira-stand-in.js';
import type { RecordingServer } from '../telemetry/recording-server.js';
import { sampleValue } from './fixtures/spawn-serve.js';

/** Polls until `done` (the outbox worker delivers in the background). */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 500 && !(await done()); tries += 1)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

const START = Date.parse('2025-03-10T11:00:00Z') / 1000;
let dir: string;
let db: Db | undefined;
let hooks: JiraHooks | undefined;
let standIn: JiraStandIn | undefined;
let prometheus: RecordingServer | undefined;

afterEach(async () => {
  await hooks?.stop();
  db?.close();
  await standIn?.close();
  await prometheus?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('startJira', () => {
  it("queues a finished investigation's ticket, attaches its evidence graphs, counts it on /metrics and follows the resolution", async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-start-jira-'));
    standIn = await startJiraStandIn({ auth: { basic: { email: EMAIL, apiToken: API_TOKEN } } });
    prometheus = await startFakePrometheus(
      { gpu_util: [{ metric: { pod: 'chat-api-0' }, values: samples(START, STEP, 241, (index) => index % 100) }] },
      { fail: ['sm_clock'] },
    );
    process.env.TEST_START_JIRA_TOKEN = API_TOKEN;
    const config = configSchema.parse({
      storage: { path: join(dir, 'holmes.db') },
      jira: { url: standIn.url, email: EMAIL, apiToken: { env: 'TEST_START_JIRA_TOKEN' }, project: 'OPS' },
    });
    db = openDatabase({ path: config.storage.path });
    const store = createInvestigationStore(db);
    const metrics = createServerMetrics();
    hooks = await startJira({
      config,
      jiraStore: createJiraStore(createSqliteRunner(db)),
      store,
      outbox: createOutbox(db),
      metrics,
      logger: pino({ level: 'silent' }),
      prometheus: createPrometheusClient({ url: prometheus.url, timeoutMs: 5_000 }),
    });
    const alert = chatAlert();
    await store.accept([alert], {
      groupKey: GROUP,
      groupStatus: 'firing',
      source: 'webhook',
      maxQueue: 10,
      maxAlertsPerGroup: 5,
    });
    const lease = { owner: 'test', ms: 30_000 };
    const { id } = (await store.claimNext(lease))!;
    const graphs = [
      specFor({ title: 'GPU utilisation', series: [{ query: 'gpu_util', legend: ['pod'] }] }),
      specFor({ title: 'SM clock', unit: 'mhz', series: [{ query: 'sm_clock', legend: ['pod'] }] }),
    ];
    await store.finish(id, { ...richResult(alert), id, graphs }, lease.owner);
    await hooks!.onFinished(id);

    // The attachment counts once Jira has answered the upload.
    const attached = async () => sampleValue(await metrics.registry.metrics(), 'holmes_jira_attachments_total');
    await until(async () => (await attached()) > 0);
    expect(standIn.issue('OPS-1')!.attachments.map((file) => file.filename)).toEqual([graphFileName(id, 1)]);
    // The graph Prometheus could not serve is said on the ticket, as the CLI says it under NOT CHECKED.
    await until(() => standIn!.issue('OPS-1')!.comments.length > 0);
    expect(JSON.stringify(standIn.issue('OPS-1')!.comments[0]!.body)).toContain("graph 2 'SM clock' was not rendered");
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, 'holmes_jira_tickets_created_total')).toBe(1);
    expect(sampleValue(text, 'holmes_jira_attachments_total')).toBe(1);
    const ticket = { key: 'OPS-1', url: `${standIn.url}/browse/OPS-1` };
    expect(await hooks!.ticketFor(id)).toEqual(ticket);
    expect(await hooks!.createTicket(id, 'slack:U1')).toEqual(ticket);

    // A change that is not a resolution (the webhook calls for both) leaves the ticket alone.
    await hooks!.onChanged(id);
    await store.accept([{ ...alert, status: 'resolved', endsAt: '2026-11-26T07:00:00Z' }], {
      groupKey: GROUP,
      groupStatus: 'resolved',
      source: 'webhook',
      maxQueue: 10,
      maxAlertsPerGroup: 5,
    });
    await hooks!.onChanged(id);
    await until(() => standIn!.issue('OPS-1')!.comments.length > 1);
    expect(standIn.issue('OPS-1')!.comments).toHaveLength(2);
    expect(JSON.stringify(standIn.issue('OPS-1')!.comments[1]!.body)).toContain('Resolved. ');
    expect(await hooks!.ticketFor('no-such-investigation')).toBeUndefined();
  });
});
