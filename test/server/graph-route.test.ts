import type { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { createGraphCache } from '../../src/graphs/create-graph-cache.js';
import { GRAPH_THEMES } from '../../src/graphs/graph-theme.js';
import { createInvestigationStore, type InvestigationStore } from '../../src/ledger/investigation-store.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createApp } from '../../src/server/create-app.js';
import { createServerMetrics } from '../../src/server/server-metrics.js';
import { createPrometheusClient } from '../../src/telemetry/prometheus-client.js';
import { samples, startFakePrometheus } from '../graphs/fake-prometheus.js';
import { specFor, STEP } from '../graphs/graph-fixtures.js';
import { decodePng } from '../graphs/png-pixels.js';
import type { RecordingServer } from '../telemetry/recording-server.js';
import { group, resultFor, webhookBody } from './fixtures/webhook.js';

const TOKEN = 'test-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const START = Date.parse('2025-03-10T11:00:00Z') / 1000;

let db: Db;
let store: InvestigationStore;
let prometheus: RecordingServer;

async function appWith(withGraphs: boolean): Promise<Hono> {
  return createApp({
    store,
    metrics: createServerMetrics(),
    logger: await createLogger({ level: 'silent' }),
    auth: { tokens: [TOKEN], allowUnauthenticated: false },
    bodyLimitBytes: 65_536,
    maxQueue: 10,
    maxAlertsPerGroup: 20,
    onQueued: () => undefined,
    isReady: () => true,
    ...(withGraphs
      ? { graphs: createGraphCache({ prometheus: createPrometheusClient({ url: prometheus.url, timeoutMs: 5_000 }) }) }
      : {}),
  });
}

/** An investigation received through the webhook and finished with these graphs; returns its id. */
async function finished(app: Hono, name: string, graphs: unknown[]): Promise<string> {
  const response = await app.request('/api/v1/alertmanager', {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify(webhookBody(name, group(name, 1).alerts)),
  });
  expect(response.status).toBe(200);
  const job = (await store.claimNext({ owner: 'test', ms: 30_000 }))!;
  await store.finish(job.id, { ...resultFor(job.alerts), graphs: graphs as never }, 'test');
  return job.id;
}

const get = (app: Hono, path: string, headers: Record<string, string> = AUTH) => app.request(path, { headers });

describe('GET /api/v1/investigations/ID/graphs/N.png', () => {
  beforeEach(async () => {
    db = openDatabase({ path: ':memory:' });
    store = createInvestigationStore(db);
    prometheus = await startFakePrometheus(
      { up: [{ metric: { pod: 'chat-api-1' }, values: samples(START, STEP, 241, (i) => 0.3 + (i > 150 ? 2 : 0)) }] },
      { fail: ['down'] },
    );
  });
  afterEach(async () => {
    db.close();
    await prometheus.close();
  });

  it("serves a finished investigation's graph as PNG, behind auth, rendering it once", async () => {
    const app = await appWith(true);
    const id = await finished(app, 'A', [specFor()]);
    expect((await get(app, `/api/v1/investigations/${id}/graphs/1.png`, {})).status).toBe(401);
    const response = await get(app, `/api/v1/investigations/${id}/graphs/1.png`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const body = Buffer.from(await response.arrayBuffer());
    const png = decodePng(body);
    expect([png.width, png.height]).toEqual([800, 400]);
    expect(png.colorAt(2, 2)).toBe(GRAPH_THEMES.light.background);
    const again = Buffer.from(await (await get(app, `/api/v1/investigations/${id}/graphs/1.png`)).arrayBuffer());
    expect(again.equals(body)).toBe(true);
    expect(prometheus.requests).toHaveLength(1);
  });

  it('draws for a dark background with ?theme=dark', async () => {
    const app = await appWith(true);
    const id = await finished(app, 'A', [specFor()]);
    const response = await get(app, `/api/v1/investigations/${id}/graphs/1.png?theme=dark`);
    expect(response.status).toBe(200);
    expect(decodePng(Buffer.from(await response.arrayBuffer())).colorAt(2, 2)).toBe(GRAPH_THEMES.dark.background);
  });

  it('answers 404 with the reason for an unknown investigation, one without a result, or no such graph', async () => {
    const app = await appWith(true);
    const id = await finished(app, 'A', [specFor(), specFor()]);
    const noGraphs = await finished(app, 'B', []);
    await app.request('/api/v1/alertmanager', {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(webhookBody('C', group('C', 1).alerts)),
    });
    const queued = (await store.list({ state: 'queued' }))[0]!.id;
    const cases: Array<[string, RegExp]> = [
      ['/api/v1/investigations/no-such-id/graphs/1.png', /^No investigation no-such-id\.$/],
      [`/api/v1/investigations/${queued}/graphs/1.png`, /is queued: it has no result yet/],
      [`/api/v1/investigations/${id}/graphs/3.png`, /has 2 graphs; there is no graph 3 \(they are numbered from 1\)/],
      [`/api/v1/investigations/${id}/graphs/0.png`, /there is no graph 0/],
      [`/api/v1/investigations/${noGraphs}/graphs/1.png`, /has 0 graphs/],
      [`/api/v1/investigations/${id}/graphs/1.svg`, /^No route GET/],
    ];
    for (const [path, message] of cases) {
      const response = await get(app, path);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { message: string }).message, path).toMatch(message);
    }
    expect(prometheus.requests).toHaveLength(0);
  });

  it('answers 502 when Prometheus cannot give the series and 500 when the stored spec is invalid', async () => {
    const app = await appWith(true);
    const id = await finished(app, 'A', [
      specFor({ series: [{ query: 'down', legend: ['pod'] }] }),
      { ...specFor(), unit: 'furlongs' },
    ]);
    const upstream = await get(app, `/api/v1/investigations/${id}/graphs/1.png`);
    expect(upstream.status).toBe(502);
    expect(await upstream.json()).toMatchObject({
      error: 'graph_data_unavailable',
      message: expect.stringMatching(/^Graph 1 could not be drawn: Prometheus at .* HTTP 503/),
    });
    const invalid = await get(app, `/api/v1/investigations/${id}/graphs/2.png`);
    expect(invalid.status).toBe(500);
    expect(await invalid.json()).toMatchObject({
      error: 'graph_render_failed',
      message: expect.stringMatching(/^Graph 2 could not be drawn: Invalid graph spec: unit:/),
    });
  });

  it('answers 503 naming the fix when no Prometheus is configured', async () => {
    const app = await appWith(false);
    const id = await finished(app, 'A', [specFor()]);
    const response = await get(app, `/api/v1/investigations/${id}/graphs/1.png`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { message: string }).message).toMatch(/Set prometheus\.url/);
  });
});
