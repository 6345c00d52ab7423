import type { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { createInvestigationStore, type InvestigationStore } from '../../src/ledger/investigation-store.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createApp, type AppOptions } from '../../src/server/create-app.js';
import { createServerMetrics, type ServerMetrics } from '../../src/server/server-metrics.js';
import type { SourceStatus } from '../../src/toolsets/check-prerequisites.js';
import { group, makeAlert, resultFor, webhookBody } from './fixtures/webhook.js';

const TOKEN = 'test-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' };

let db: Db;
let store: InvestigationStore;
let metrics: ServerMetrics;
let app: Hono;
let queued: number;
let ready: boolean;

async function build(overrides: Partial<AppOptions> = {}): Promise<void> {
  app = createApp({
    store,
    metrics,
    logger: await createLogger({ level: 'silent' }),
    auth: { tokens: [TOKEN], allowUnauthenticated: false },
    bodyLimitBytes: 4_096,
    maxQueue: 3,
    maxAlertsPerGroup: 20,
    onQueued: () => (queued += 1),
    isReady: () => ready,
    ...overrides,
  });
}

function post(path: string, body: unknown, headers: Record<string, string> = JSON_AUTH) {
  return app.request(path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function metric(name: string): Promise<string> {
  return (await metrics.registry.getSingleMetricAsString(name))
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
}

describe('createApp', () => {
  beforeEach(async () => {
    db = openDatabase({ path: ':memory:' });
    store = createInvestigationStore(db);
    metrics = createServerMetrics();
    queued = 0;
    ready = true;
    await build();
  });
  afterEach(() => db.close());

  it('answers health without credentials and readiness by the server state', async () => {
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/readyz')).status).toBe(200);
    ready = false;
    expect((await app.request('/readyz')).status).toBe(503);
  });

  it('says which sources fail on /readyz, staying ready since alerts are still accepted, and exports holmes_source_up', async () => {
    const kubernetes: SourceStatus = { source: 'kubernetes', status: 'not-configured' };
    let sources: SourceStatus[] = [
      {
        source: 'prometheus',
        status: 'failing',
        reason: 'Prometheus at http://p:9090 is not reachable: ECONNREFUSED',
        checkedAt: '2026-11-26T06:00:00.000Z',
      },
      kubernetes,
    ];
    await build({ sources: () => sources });
    const degraded = await app.request('/readyz');
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toEqual({ status: 'degraded', sources });
    expect(await metric('holmes_source_up')).toContain('holmes_source_up{source="prometheus"} 0');
    sources = [{ source: 'prometheus', status: 'ok', checkedAt: '2026-11-26T06:00:05.000Z' }, kubernetes];
    expect(await (await app.request('/readyz')).json()).toMatchObject({ status: 'ready' });
    expect(await metric('holmes_source_up')).toContain('holmes_source_up{source="prometheus"} 1');
  });

  it('requires credentials on the API and /metrics when a token is configured', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/investigations'],
      ['GET', '/metrics'],
      ['POST', '/api/v1/alertmanager'],
      ['POST', '/api/v1/ask'],
      ['GET', '/api/v1/investigations/x'],
      ['GET', '/api/v1/doctor'],
    ]) {
      expect((await app.request(path!, { method: method! })).status, path).toBe(401);
    }
    expect((await app.request('/metrics', { headers: AUTH })).status).toBe(200);
  });

  it('answers GET /api/v1/doctor with the report the doctor makes, and 404 when the server runs none', async () => {
    expect((await app.request('/api/v1/doctor', { headers: AUTH })).status).toBe(404);
    await build({ doctor: async () => ({ prometheus: { ok: true }, inconclusive: [{ runbook: 'r', check: 'c' }] }) });
    const response = await app.request('/api/v1/doctor', { headers: AUTH });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ prometheus: { ok: true }, inconclusive: [{ runbook: 'r', check: 'c' }] });
  });

  it('exports how many runbooks were refused at load', async () => {
    metrics.runbooksSkipped.set(2);
    expect(await metric('holmes_runbooks_skipped')).toBe('holmes_runbooks_skipped 2');
  });

  it('persists a webhook, queues one investigation and wakes the workers when the group is new', async () => {
    const { groupKey, alerts } = group('KubePodCrashLooping', 2);
    const response = await post('/api/v1/alertmanager', webhookBody(groupKey, alerts));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { investigationId: string; accepted: number; created: boolean };
    expect(body).toMatchObject({ accepted: 2, duplicates: 0, created: true });
    expect(queued).toBe(1);
    const detail = await app.request(`/api/v1/investigations/${body.investigationId}`, { headers: AUTH });
    expect(await detail.json()).toMatchObject({ state: 'queued', groupKey, alertCount: 2 });
    expect(await metric('holmes_alerts_received_total')).toContain('holmes_alerts_received_total{status="firing"} 2');
  });

  it('acknowledges a repeated delivery as duplicates without queueing anything', async () => {
    const { groupKey, alerts } = group('KubePodCrashLooping', 2);
    await post('/api/v1/alertmanager', webhookBody(groupKey, alerts));
    const again = await post(
      '/api/v1/alertmanager',
      webhookBody(groupKey, alerts, { externalURL: 'http://alertmanager-1:9093' }),
    );
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 2, created: false });
    expect(queued).toBe(1);
    expect(await metric('holmes_alerts_deduplicated_total')).toContain('holmes_alerts_deduplicated_total 2');
  });

  it('answers 503 with Retry-After and persists nothing when the queue is full', async () => {
    for (const name of ['A', 'B', 'C']) await post('/api/v1/alertmanager', webhookBody(name, group(name, 1).alerts));
    const response = await post('/api/v1/alertmanager', webhookBody('D', group('D', 1).alerts));
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await store.list()).map((row) => row.alertname)).not.toContain('D');
    expect(await metric('holmes_webhook_rejected_total')).toContain('reason="queue_full"');
  });

  it.each([
    [
      'a wrong content type',
      'text/plain',
      JSON.stringify(webhookBody('g', [makeAlert({ alertname: 'X' })])),
      415,
      'unsupported_media_type',
    ],
    ['a body that is not JSON', 'application/json', '{"alerts": [', 400, 'invalid_json'],
    ['an empty body', 'application/json', '', 400, 'invalid_json'],
    ['a body without alerts', 'application/json', JSON.stringify({ version: '4', alerts: [] }), 400, 'invalid_body'],
    [
      'a label that is not a string',
      'application/json',
      JSON.stringify({ alerts: [{ labels: { alertname: 'X', gpu: 0 } }] }),
      400,
      'invalid_body',
    ],
  ])('refuses %s with %i, a reason and no stack', async (_case, type, body, status, error) => {
    const response = await post('/api/v1/alertmanager', body, { ...AUTH, 'content-type': type });
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error });
    expect(text).not.toMatch(/\bat .+:\d+/);
  });

  it('names the path of each invalid field in a 400', async () => {
    const response = await post('/api/v1/alertmanager', {
      alerts: [{ labels: { alertname: 'X' } }, { labels: { pod: 7 } }],
      status: 'burning',
    });
    const body = (await response.json()) as { issues: Array<{ path: string }> };
    expect(body.issues.map((issue) => issue.path).sort()).toEqual(['alerts.1.labels.pod', 'status']);
  });

  it('caps the issues listed when a body has thousands of invalid fields', async () => {
    const alerts = Array.from({ length: 200 }, () => ({ labels: 1 }));
    const body = (await (await post('/api/v1/alertmanager', { alerts }, JSON_AUTH)).json()) as { issues: unknown[] };
    expect(body.issues.length).toBeLessThanOrEqual(20);
  });

  it('refuses a body that is not UTF-8 instead of repairing it into label values', async () => {
    const text = JSON.stringify(webhookBody('g', [makeAlert({ alertname: 'X', pod: 'POD' })]));
    const bytes = Buffer.from(text);
    const at = bytes.indexOf('POD');
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    const response = await app.request('/api/v1/alertmanager', { method: 'POST', headers: JSON_AUTH, body: bytes });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_encoding' });
    expect(await store.list()).toEqual([]);
  });

  it('answers 413 when the body is larger than the limit', async () => {
    const response = await post('/api/v1/alertmanager', { alerts: [{ labels: { alertname: 'x'.repeat(5_000) } }] });
    expect(response.status).toBe(413);
    expect(await metric('holmes_webhook_rejected_total')).toContain('reason="too_large"');
  });

  it('counts refused deliveries with a wrong token', async () => {
    await post('/api/v1/alertmanager', webhookBody('g', group('A', 1).alerts), {
      authorization: 'Bearer wrong',
      'content-type': 'application/json',
    });
    expect(await metric('holmes_webhook_rejected_total')).toContain(
      'holmes_webhook_rejected_total{reason="unauthorized"} 1',
    );
  });

  it('queues an alert posted by hand and answers 409 when the same alert is posted again', async () => {
    const alert = { labels: { alertname: 'HighLatency', namespace: 'chat' }, startsAt: '2026-11-26T06:00:00Z' };
    const created = await post('/api/v1/investigations', alert);
    expect(created.status).toBe(202);
    const body = (await created.json()) as { id: string; links: { self: string } };
    expect(body.links.self).toBe(`/api/v1/investigations/${body.id}`);
    expect((await post('/api/v1/investigations', alert)).status).toBe(409);
    expect((await post('/api/v1/investigations', { labels: { alertname: 3 } })).status).toBe(400);
  });

  it('lists investigations by status, alertname, team and since, and shows one with its result', async () => {
    await post('/api/v1/alertmanager', webhookBody('a', group('A', 1, { team: 'search' }).alerts));
    await post('/api/v1/alertmanager', webhookBody('b', group('B', 1, { team: 'chat' }).alerts));
    const job = (await store.claimNext({ owner: 'test', ms: 30_000 }))!;
    await store.finish(job.id, resultFor(job.alerts), 'test');
    const list = async (query: string) =>
      (
        (await (await app.request(`/api/v1/investigations${query}`, { headers: AUTH })).json()) as {
          investigations: Array<{ alertname: string }>;
        }
      ).investigations.map((row) => row.alertname);
    expect(await list('')).toEqual(['B', 'A']);
    expect(await list('?status=completed')).toEqual(['A']);
    expect(await list('?alertname=B')).toEqual(['B']);
    expect(await list('?team=search')).toEqual(['A']);
    // An offset is converted: the stored times are UTC.
    expect(await list(`?since=${encodeURIComponent('2000-01-01T02:00:00+02:00')}`)).toEqual(['B', 'A']);
    expect(await list(`?since=${encodeURIComponent('2999-01-01T00:00:00Z')}`)).toEqual([]);
    const detail = (await (await app.request(`/api/v1/investigations/${job.id}`, { headers: AUTH })).json()) as {
      result: { rootCause: { id: string } };
      alerts: unknown[];
    };
    expect(detail.result.rootCause.id).toBe('crashloop-bad-config');
    expect(detail.alerts).toHaveLength(1);
  });

  it('refuses an unknown filter or a bad since with the path of the problem', async () => {
    for (const query of ['?state=queued', '?since=yesterday', '?limit=0']) {
      const response = await app.request(`/api/v1/investigations${query}`, { headers: AUTH });
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
    }
    expect((await app.request('/api/v1/investigations/no-such-id', { headers: AUTH })).status).toBe(404);
  });

  it('answers 503 naming the missing model for a question when no model is configured, and the answer when one is', async () => {
    const noModel = await post('/api/v1/ask', { question: 'why is chat slow?' });
    expect(noModel.status).toBe(503);
    expect(await noModel.json()).toMatchObject({ error: 'no_model' });
    await build({ ask: async (question) => ({ answer: `asked: ${question}` }) });
    expect(await (await post('/api/v1/ask', { question: 'why is chat slow?' })).json()).toEqual({
      answer: 'asked: why is chat slow?',
    });
    expect((await post('/api/v1/ask', { question: 'x', extra: true })).status).toBe(400);
  });

  it('hides the error behind a reference when a handler fails', async () => {
    await build({ ask: async () => Promise.reject(new Error('secret internal detail at /srv/holmes.ts:12')) });
    const response = await post('/api/v1/ask', { question: 'why is chat slow?' });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('secret internal detail');
    expect(JSON.parse(text)).toMatchObject({ error: 'internal', reference: expect.any(String) });
  });

  it('serves Holmes metrics, queue depth included, in Prometheus text format', async () => {
    await post('/api/v1/alertmanager', webhookBody('a', group('A', 1).alerts));
    const response = await app.request('/metrics', { headers: AUTH });
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('holmes_queue_depth 1');
    expect(text).toContain('# TYPE holmes_investigation_duration_seconds histogram');
    expect(text).toContain('holmes_process_resident_memory_bytes');
  });
});
