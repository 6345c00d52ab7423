import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasExited } from '../../src/lab/prometheus/stop-process.js';
import { createSandbox, hasStack, type Sandbox } from '../cli/run-cli.js';
import { createRandom, hostileRequest, type HostileRequest } from './fixtures/hostile-bodies.js';
import {
  createClient,
  sampleValue,
  serveConfig,
  spawnServe,
  TOKEN,
  type ServeProcess,
} from './fixtures/spawn-serve.js';
import { group, webhookBody } from './fixtures/webhook.js';

const SEED = 20_261_126;
const COUNT = 1_000;
const BODY_LIMIT = 64 * 1024;

let sandbox: Sandbox;
let server: ServeProcess;

/** One request on its own connection; resolves with the answer even when the server answers before reading the body. */
function send(url: string, hostile: HostileRequest): Promise<{ status: number; text: string }> {
  const target = new URL('/api/v1/alertmanager', url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = request(
      target,
      {
        method: 'POST',
        agent: false,
        headers: { ...hostile.headers, ...(hostile.chunked ? {} : { 'content-length': String(hostile.body.length) }) },
      },
      (response) => {
        answered = true;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    // Writing the rest of an oversized body after the 413 may hit a closed socket: that is fine.
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (hostile.chunked) {
      for (let offset = 0; offset < hostile.body.length; offset += 16_384)
        outgoing.write(hostile.body.subarray(offset, offset + 16_384));
      outgoing.end();
    } else outgoing.end(hostile.body);
  });
}

describe('holmes serve under hostile input', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
    const config = await sandbox.write(
      'holmes.yaml',
      serveConfig({ storagePath: join(sandbox.dir, 'store', 'holmes.db'), bodyLimitBytes: BODY_LIMIT }),
    );
    server = await spawnServe(sandbox, config);
  });
  afterAll(async () => {
    await server?.stop();
    await sandbox?.remove();
  });

  it(`answers 4xx without a stack to each of ${COUNT} seeded random bad requests, stays up and still serves a good webhook`, async () => {
    const random = createRandom(SEED);
    const kinds = new Map<string, number>();
    for (let index = 0; index < COUNT; index += 1) {
      const hostile = hostileRequest(random, TOKEN, BODY_LIMIT);
      kinds.set(hostile.kind, (kinds.get(hostile.kind) ?? 0) + 1);
      const { status, text } = await send(server.url, hostile);
      const where = `request ${index} (${hostile.kind}, seed ${SEED}): ${status} ${text.slice(0, 200)}`;
      expect(status >= 400 && status < 500, where).toBe(true);
      expect(hasStack(text), where).toBe(false);
      expect(text, where).not.toMatch(/\.ts:\d+|node_modules|SqliteError|ZodError/);
      expect(() => JSON.parse(text) as unknown, where).not.toThrow();
    }
    // The generator covered every kind of bad input.
    expect([...kinds.keys()].sort()).toEqual([
      'deep nesting',
      'empty',
      'garbage',
      'huge key',
      'invalid UTF-8',
      'no alerts',
      'oversized',
      'random shape',
      'truncated JSON',
      'unauthenticated',
      'wrong content type',
      'wrong type',
    ]);
    expect(hasExited(server.child)).toBe(false);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const client = createClient(server.url);
    expect(await client.list()).toEqual([]);
    const { groupKey, alerts } = group('KubePodCrashLooping', 2);
    const good = await client.postWebhook(webhookBody(groupKey, alerts));
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ accepted: 2, created: true });
    expect((await client.list()).map((row) => row.groupKey)).toEqual([groupKey]);
    const metrics = await client.metrics();
    expect(sampleValue(metrics, 'holmes_webhook_rejected_total')).toBeGreaterThan(COUNT / 2);
    expect(sampleValue(metrics, 'holmes_webhook_rejected_total', 'reason="too_large"')).toBe(kinds.get('oversized'));
    expect(sampleValue(metrics, 'holmes_webhook_rejected_total', 'reason="unauthorized"')).toBe(
      kinds.get('unauthenticated'),
    );
    expect(server.stderr()).not.toContain('request failed');
  });
});
