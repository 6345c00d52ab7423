/**
 * `holmes serve` (the real CLI) started while Prometheus is down or hanging: it starts at once,
 * /readyz says which source fails, and once a real Prometheus answers, it is used again.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, startRecordingServer, type RecordingServer } from '../telemetry/recording-server.js';
import { createSandbox, type Sandbox } from '../cli/run-cli.js';
import { waitFor } from '../integrations/alertmanager/fixtures/start-alertmanager.js';
import { createClient, serveConfig, spawnServe, type ServeProcess } from './fixtures/spawn-serve.js';
import { startPlainPrometheus, type PlainPrometheus } from './fixtures/start-plain-prometheus.js';
import { makeAlert, webhookBody } from './fixtures/webhook.js';

interface Readiness {
  status: string;
  sources: Array<{ source: string; status: string; reason?: string }>;
}

let sandbox: Sandbox;
const started: Array<{ close(): Promise<unknown> }> = [];

async function readiness(url: string): Promise<{ code: number; body: Readiness }> {
  const response = await fetch(`${url}/readyz`);
  return { code: response.status, body: (await response.json()) as Readiness };
}

const prometheusOf = (body: Readiness) => body.sources.find((source) => source.source === 'prometheus');

async function serve(name: string, prometheusUrl: string): Promise<ServeProcess> {
  const config = serveConfig({ storagePath: join(sandbox.dir, `${name}.db`), prometheusUrl });
  // A short Prometheus timeout: the reachability probe waits no longer than it.
  const file = await sandbox.write(
    `${name}.yaml`,
    `${config}\n`.replace('prometheus:\n', 'prometheus:\n  timeoutMs: 1000\n'),
  );
  const process = await spawnServe(sandbox, file);
  started.push({ close: () => process.stop() });
  return process;
}

describe('holmes serve when a source is down at start', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
  });
  afterAll(async () => {
    for (const item of started.reverse()) await item.close();
    await sandbox?.remove();
  });

  it('says Prometheus fails on /readyz, then uses it again once it answers', async () => {
    const port = await closedPort();
    const server = await serve('down', `http://127.0.0.1:${port}`);
    const down = await waitFor(async () => {
      const answer = await readiness(server.url);
      return prometheusOf(answer.body)?.status === 'failing' ? answer : undefined;
    }, '/readyz to report Prometheus failing');
    expect(down.code).toBe(200);
    expect(down.body.status).toBe('degraded');
    expect(prometheusOf(down.body)?.reason).toContain('not reachable');
    expect(down.body.sources.find((source) => source.source === 'kubernetes')?.status).toBe('not-configured');

    const prometheus: PlainPrometheus = await startPlainPrometheus({ port });
    started.push(prometheus);
    const up = await waitFor(async () => {
      const answer = await readiness(server.url);
      return prometheusOf(answer.body)?.status === 'ok' ? answer : undefined;
    }, '/readyz to report Prometheus back');
    expect(up.body.status).toBe('ready');
    const metrics = await createClient(server.url).metrics();
    expect(metrics).toMatch(/^holmes_source_up\{source="prometheus"\} 1$/m);

    // Investigations use it again: one ends without Prometheus among what could not be reached.
    const client = createClient(server.url);
    let attempt = 0;
    const recovered = await waitFor(async () => {
      attempt += 1;
      const alert = makeAlert({ alertname: 'KubePodCrashLooping', namespace: 'search', pod: `p-${attempt}` });
      const posted = (await (await client.postWebhook(webhookBody(`g-${attempt}`, [alert]))).json()) as {
        investigationId: string;
      };
      const detail = await waitFor(async () => {
        const found = await client.get(posted.investigationId);
        return found.state === 'completed' || found.state === 'degraded' ? found : undefined;
      }, 'the investigation to finish');
      return JSON.stringify(detail.result).includes('is not reachable') ? undefined : detail;
    }, 'an investigation that reaches Prometheus');
    expect(recovered.result?.status).toBe('completed');
  });

  it('starts at once and reports the probe timeout when Prometheus accepts connections and never answers', async () => {
    const hanging: RecordingServer = await startRecordingServer(() => 'hang');
    started.push(hanging);
    const server = await serve('hanging', hanging.url);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const answer = await waitFor(async () => {
      const current = await readiness(server.url);
      return prometheusOf(current.body)?.status === 'failing' ? current : undefined;
    }, '/readyz to report the hanging Prometheus');
    expect(prometheusOf(answer.body)?.reason).toMatch(/did not answer .*within 1000 ms/);
    expect(hanging.requests.some((request) => request.url.endsWith('/api/v1/status/buildinfo'))).toBe(true);
  });
});
