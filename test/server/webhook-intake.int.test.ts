import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import type { Alert } from '../../src/core/alert.js';
import type { InvestigationResult } from '../../src/core/investigation.js';
import { createLogger } from '../../src/core/logger.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { waitFor } from '../integrations/alertmanager/fixtures/start-alertmanager.js';
import { createClient, TOKEN } from './fixtures/spawn-serve.js';
import { group, makeAlert, resultFor, webhookBody } from './fixtures/webhook.js';

let dir: string;
let server: RunningServer | undefined;
let runs: Alert[][];

async function start(): Promise<{ url: string; client: ReturnType<typeof createClient> }> {
  const config = configSchema.parse({
    storage: { path: join(dir, 'holmes.db') },
    server: { port: 0, tokens: [TOKEN], concurrency: 1, shutdownGraceMs: 200 },
  });
  const run = async (alerts: Alert[]): Promise<InvestigationResult> => {
    runs.push(alerts);
    return resultFor(alerts);
  };
  server = await startServer({ config, logger: await createLogger({ level: 'silent' }), run });
  return { url: server.url, client: createClient(server.url) };
}

function post(url: string, path: string, body: string): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body,
  });
}

describe('the webhook intake (startServer over HTTP)', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-intake-test-'));
    runs = [];
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('stores 10,000 alerts of a body without groupKey under one short key, and knows the set again in any order', async () => {
    const { url, client } = await start();
    const alerts = Array.from({ length: 10_000 }, (_, index) => ({
      labels: { alertname: 'NoGroupKey', namespace: 'bench', pod: `pod-${index}` },
    }));
    const body = JSON.stringify({ version: '4', status: 'firing', alerts });
    const response = await post(url, '/api/v1/alertmanager', body);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 10_000, duplicates: 0, created: true });
    const [row] = await client.list();
    expect(row!.groupKey).toMatch(/^fingerprints:[0-9a-f]{64}$/);
    expect(row!.alertCount).toBe(20);
    // Stored once per alert, the key must not grow with the group (it made a 1.8 GB store).
    const bytes = ['holmes.db', 'holmes.db-wal'].reduce((sum, name) => {
      try {
        return sum + statSync(join(dir, name)).size;
      } catch {
        return sum;
      }
    }, 0);
    expect(bytes).toBeLessThan(40 * 1024 * 1024);
    // The same set again, in another order: the same group, all duplicates.
    const again = await post(url, '/api/v1/alertmanager', JSON.stringify({ alerts: [...alerts].reverse() }));
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 10_000, investigationId: row!.id });
  });

  it('refuses a label holding a lone surrogate with its path, and stores nothing', async () => {
    const { url, client } = await start();
    const body = JSON.stringify(webhookBody('g', [makeAlert({ alertname: 'X', pod: 'p' })])).replace(
      '"pod":"p"',
      '"pod":"p\\ud800"',
    );
    const response = await post(url, '/api/v1/alertmanager', body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { issues: Array<{ path: string; message: string }> };
    expect(answer.issues).toEqual([{ path: 'alerts.0.labels.pod', message: expect.stringContaining('surrogate') }]);
    expect(await client.list()).toEqual([]);
  });

  it('answers 409 to a repeat of an alert posted by hand without startsAt, as the README promises', async () => {
    const { url } = await start();
    const body = JSON.stringify({ labels: { alertname: 'HandMade', namespace: 'search' } });
    expect((await post(url, '/api/v1/investigations', body)).status).toBe(202);
    const repeat = await post(url, '/api/v1/investigations', body);
    expect(repeat.status).toBe(409);
    expect(await repeat.json()).toMatchObject({ error: 'duplicate' });
  });

  it('takes the same start written with another offset as a duplicate', async () => {
    const { client } = await start();
    const alert = makeAlert({ alertname: 'Offset', pod: 'p' }, { startsAt: '2026-11-26T06:00:00Z' });
    await client.postWebhook(webhookBody('g', [alert]));
    const shifted = { ...alert, startsAt: '2026-11-26T08:00:00.000+02:00' };
    const response = await client.postWebhook(webhookBody('g', [shifted]));
    expect(await response.json()).toMatchObject({ accepted: 0, duplicates: 1, created: false });
  });

  it('investigates an alert whose resolution overtook its firing notification', async () => {
    const { client } = await start();
    const { groupKey, alerts } = group('Overtaken', 2);
    const resolved = alerts.map((alert) => ({ ...alert, status: 'resolved' as const, endsAt: '2026-11-26T07:00:00Z' }));
    await client.postWebhook(webhookBody(groupKey, resolved));
    expect(await client.list()).toEqual([]);
    const firing = (await (await client.postWebhook(webhookBody(groupKey, alerts))).json()) as {
      accepted: number;
      investigationId: string;
    };
    expect(firing.accepted).toBe(2);
    const row = await waitFor(async () => {
      const detail = await client.get(firing.investigationId);
      return detail.state === 'completed' ? detail : undefined;
    }, 'the late investigation to complete');
    expect(row.resolvedAt).not.toBeNull();
    expect(row.alerts.map((alert) => alert.status)).toEqual(['resolved', 'resolved']);
    expect(runs).toHaveLength(1);
  });
});
