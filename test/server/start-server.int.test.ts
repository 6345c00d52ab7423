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
import { group, resultFor, webhookBody } from './fixtures/webhook.js';

let dir: string;
let server: RunningServer | undefined;
let runs: Alert[][];
let hold: Promise<void> | undefined;

async function start(
  overrides: Record<string, unknown> = {},
  ask?: (question: string) => Promise<unknown>,
): Promise<RunningServer> {
  const config = configSchema.parse({
    storage: { path: join(dir, 'holmes.db') },
    server: { port: 0, tokens: [TOKEN], concurrency: 1, shutdownGraceMs: 200, ...overrides },
  });
  // A scripted investigator: real code that records its calls and may be held back by the test.
  const run = async (alerts: Alert[]): Promise<InvestigationResult> => {
    runs.push(alerts);
    await hold;
    return resultFor(alerts);
  };
  server = await startServer({ config, logger: await createLogger({ level: 'silent' }), run, ...(ask ? { ask } : {}) });
  return server;
}

describe('startServer (HTTP on loopback)', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-serve-test-'));
    runs = [];
    hold = undefined;
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('investigates a group once when the same body is delivered twice and an HA peer sends it too', async () => {
    const { url } = await start();
    const client = createClient(url);
    const { groupKey, alerts } = group('KubePodCrashLooping', 3);
    const first = await client.postWebhook(webhookBody(groupKey, alerts));
    expect(first.status).toBe(200);
    const retry = await client.postWebhook(webhookBody(groupKey, alerts));
    // The peer of an HA pair: another Alertmanager, the same alerts (fingerprint + startsAt).
    const peer = await client.postWebhook(webhookBody(groupKey, alerts, { externalURL: 'http://alertmanager-1:9093' }));
    expect([retry.status, peer.status]).toEqual([200, 200]);
    expect(await peer.json()).toMatchObject({ accepted: 0, duplicates: 3, created: false });
    const [row] = await waitFor(async () => {
      const rows = await client.list();
      return rows.every((candidate) => candidate.state === 'completed') && rows.length > 0 ? rows : undefined;
    }, 'the investigation to complete');
    expect((await client.list()).length).toBe(1);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.map((alert) => alert.labels.pod)).toEqual([
      'kubepodcrashlooping-0',
      'kubepodcrashlooping-1',
      'kubepodcrashlooping-2',
    ]);
    const detail = await client.get(row!.id);
    expect(detail.result!.rootCause!.id).toBe('crashloop-bad-config');
  });

  it('marks the same investigation resolved, and starts no other, when the group resolves', async () => {
    const { url } = await start();
    const client = createClient(url);
    const { groupKey, alerts } = group('HighLatency', 2);
    const firing = (await (await client.postWebhook(webhookBody(groupKey, alerts))).json()) as {
      investigationId: string;
    };
    await waitFor(
      async () => ((await client.get(firing.investigationId)).state === 'completed' ? true : undefined),
      'completed',
    );
    const resolvedAlerts = alerts.map((alert) => ({
      ...alert,
      status: 'resolved' as const,
      endsAt: new Date().toISOString(),
    }));
    const resolved = await client.postWebhook(webhookBody(groupKey, resolvedAlerts));
    expect(await resolved.json()).toMatchObject({ created: false, investigationId: firing.investigationId });
    // Both Alertmanagers of the pair send the resolution.
    await client.postWebhook(webhookBody(groupKey, resolvedAlerts, { externalURL: 'http://alertmanager-1:9093' }));
    const rows = await client.list();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: firing.investigationId, state: 'completed', resolvedAt: expect.any(String) });
    expect((await client.get(firing.investigationId)).alerts.map((alert) => alert.status)).toEqual([
      'resolved',
      'resolved',
    ]);
    expect(runs).toHaveLength(1);
  });

  it('answers 503 with Retry-After when the queue is full and accepts the retry once there is room', async () => {
    let release: () => void = () => undefined;
    hold = new Promise((resolve) => (release = resolve));
    const { url } = await start({ maxQueue: 2 });
    const client = createClient(url);
    await client.postWebhook(webhookBody('a', group('A', 1).alerts));
    await waitFor(() => (runs.length === 1 ? true : undefined), 'the first job to run');
    await client.postWebhook(webhookBody('b', group('B', 1).alerts));
    await client.postWebhook(webhookBody('c', group('C', 1).alerts));
    const full = await client.postWebhook(webhookBody('d', group('D', 1).alerts));
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('30');
    release();
    await waitFor(
      async () => ((await client.list('?status=queued')).length === 0 ? true : undefined),
      'the queue to drain',
    );
    const retried = await client.postWebhook(webhookBody('d', group('D', 1).alerts));
    expect(retried.status).toBe(200);
    await waitFor(
      async () => ((await client.list('?status=completed')).length === 4 ? true : undefined),
      'all four completed',
    );
  });

  it('answers POST /api/v1/ask with the agent it was given', async () => {
    const { url } = await start({}, async (question) => ({ answer: `looked into: ${question}` }));
    const response = await fetch(`${url}/api/v1/ask`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'why is chat slow?' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ answer: 'looked into: why is chat slow?' });
  });

  it('stops listening, requeues the in-flight investigation and runs it at the next start when shut down', async () => {
    hold = new Promise(() => undefined); // Never finishes: the shutdown grace runs out.
    const { url } = await start();
    const client = createClient(url);
    const body = (await (await client.postWebhook(webhookBody('a', group('A', 1).alerts))).json()) as {
      investigationId: string;
    };
    await waitFor(() => (runs.length === 1 ? true : undefined), 'the job to run');
    await server!.close();
    server = undefined;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    hold = undefined;
    const next = await start();
    const nextClient = createClient(next.url);
    await waitFor(
      async () => ((await nextClient.get(body.investigationId)).state === 'completed' ? true : undefined),
      'the requeued job to complete',
    );
    expect(runs).toHaveLength(2);
    expect((await nextClient.get(body.investigationId)).attempts).toBe(1);
  });
});
