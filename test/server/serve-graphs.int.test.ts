import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import type { Alert } from '../../src/core/alert.js';
import type { InvestigationResult } from '../../src/core/investigation.js';
import { createLogger } from '../../src/core/logger.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { samples, startFakePrometheus } from '../graphs/fake-prometheus.js';
import { specFor, STEP } from '../graphs/graph-fixtures.js';
import { decodePng } from '../graphs/png-pixels.js';
import { waitFor } from '../integrations/alertmanager/fixtures/start-alertmanager.js';
import type { RecordingServer } from '../telemetry/recording-server.js';
import { createClient, TOKEN } from './fixtures/spawn-serve.js';
import { group, resultFor, webhookBody } from './fixtures/webhook.js';

const START = Date.parse('2025-03-10T11:00:00Z') / 1000;
let dir: string;
let server: RunningServer | undefined;
let prometheus: RecordingServer;

describe('holmes serve graphs (HTTP on loopback)', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-serve-graphs-'));
    prometheus = await startFakePrometheus({
      up: [{ metric: { pod: 'chat-api-1' }, values: samples(START, STEP, 241, (i) => 0.3 + (i > 150 ? 2 : 0)) }],
    });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await prometheus.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("draws a finished investigation's graph from the configured Prometheus, not while investigating", async () => {
    const config = configSchema.parse({
      prometheus: { url: prometheus.url },
      storage: { path: join(dir, 'holmes.db') },
      server: { port: 0, tokens: [TOKEN], concurrency: 1, shutdownGraceMs: 200 },
    });
    // A scripted investigator whose result lists one graph.
    const run = async (alerts: Alert[]): Promise<InvestigationResult> => ({
      ...resultFor(alerts),
      graphs: [specFor()],
    });
    server = await startServer({ config, logger: await createLogger({ level: 'silent' }), run });
    const client = createClient(server.url);
    const { groupKey, alerts } = group('InferenceP99High', 1);
    expect((await client.postWebhook(webhookBody(groupKey, alerts))).status).toBe(200);
    const [row] = await waitFor(async () => {
      const rows = await client.list();
      return rows.length > 0 && rows.every((candidate) => candidate.state === 'completed') ? rows : undefined;
    }, 'the investigation to complete');
    expect(prometheus.requests).toHaveLength(0);
    const response = await fetch(`${server.url}/api/v1/investigations/${row!.id}/graphs/1.png`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const png = decodePng(Buffer.from(await response.arrayBuffer()));
    expect([png.width, png.height]).toEqual([800, 400]);
    expect(prometheus.requests.map((request) => new URL(request.url, 'http://x').pathname)).toEqual([
      '/api/v1/query_range',
    ]);
  });
});
