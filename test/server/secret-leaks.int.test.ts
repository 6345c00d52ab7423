/**
 * Secrets through the whole path of `holmes serve` (the real CLI): a Prometheus password written
 * in its URL, and a model API key a provider echoes in its 401. Neither may reach a result, the
 * API, the store (database and WAL) or a model's input; the password must reach Prometheus.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { providerFixture } from '../agent/provider-fixtures.js';
import { createSandbox, type Sandbox } from '../cli/run-cli.js';
import { waitFor } from '../integrations/alertmanager/fixtures/start-alertmanager.js';
import { createClient, spawnServe, TOKEN, type ServeProcess } from './fixtures/spawn-serve.js';
import { startPlainPrometheus, type PlainPrometheus } from './fixtures/start-plain-prometheus.js';
import { makeAlert, webhookBody } from './fixtures/webhook.js';

const PASSWORD = 'pr0m-s3cret-7d2e';
// bcrypt (cost 4, as Prometheus's web config reads it) of PASSWORD, made with Python's crypt module.
const PASSWORD_HASH = '$2b$04$.yzbUtyaq3u6uKBSlnFYauR84Z0VWRO6DqrEkc15o5pA4kT2JEeY2';
const BAD_KEY = 'sk-leak-test-0f3b9a7c41d2e8';

let sandbox: Sandbox;
let prometheus: PlainPrometheus | undefined;
let model: { server: Server; url: string; bodies: string[] } | undefined;
let serve: ServeProcess | undefined;

/**
 * An OpenAI-compatible server: a request with BAD_KEY gets a 401 that echoes the key (as some
 * proxies do); any other plays a tool call, then final answers.
 */
async function startModelServer(): Promise<{ server: Server; url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const script = ['openai-chat-tool-calls'];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const key = (request.headers.authorization ?? '').replace(/^Bearer /, '');
      if (key === BAD_KEY) {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            error: {
              message: `Incorrect API key provided: ${key}.`,
              type: 'invalid_request_error',
              code: 'invalid_api_key',
            },
          }),
        );
        return;
      }
      bodies.push(body);
      const reply = providerFixture(script.shift() ?? 'openai-chat-ask-final-answer');
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, bodies };
}

describe('holmes serve with secrets in a URL and in provider errors', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
    prometheus = await startPlainPrometheus({
      basicAuthUsers: { holmes: PASSWORD_HASH },
      authorization: `Basic ${Buffer.from(`holmes:${PASSWORD}`).toString('base64')}`,
    });
    model = await startModelServer();
    const withPassword = prometheus.url.replace('http://', `http://holmes:${PASSWORD}@`);
    const config = await sandbox.write(
      'holmes.yaml',
      stringify({
        prometheus: { url: withPassword },
        storage: { path: join(sandbox.dir, 'store', 'holmes.db') },
        server: { host: '127.0.0.1', port: 0, tokens: [{ env: 'TEST_SERVE_TOKEN' }], concurrency: 1 },
        models: [
          {
            provider: 'openai',
            model: 'gpt-4o-mini',
            name: 'echoing',
            baseUrl: model.url,
            apiKeys: [{ env: 'LEAKY_KEY' }],
          },
          {
            provider: 'openai',
            model: 'Qwen/Qwen2.5-7B-Instruct',
            name: 'local',
            baseUrl: model.url,
            contextWindow: 32768,
          },
        ],
        budget: { perInvestigation: { maxSteps: 3 } },
        agent: { backoffMs: 0 },
        log: { level: 'info' },
      }),
    );
    serve = await spawnServe({ ...sandbox, env: { ...sandbox.env, LEAKY_KEY: BAD_KEY } }, config);
  });
  afterAll(async () => {
    await serve?.stop();
    await prometheus?.close();
    await new Promise((resolve) => model?.server.close(resolve));
    await sandbox?.remove();
  });

  it('sends the URL password to Prometheus as basic auth and writes neither secret anywhere', async () => {
    // Prometheus refuses requests without the password: reaching it proves it was sent.
    expect((await fetch(`${prometheus!.url}/api/v1/status/buildinfo`)).status).toBe(401);
    const client = createClient(serve!.url, TOKEN);
    const posted = await client.postWebhook(
      webhookBody('g', [makeAlert({ alertname: 'KubePodCrashLooping', namespace: 'search' })]),
    );
    const { investigationId } = (await posted.json()) as { investigationId: string };
    const detail = await waitFor(async () => {
      const found = await client.get(investigationId);
      return ['queued', 'running'].includes(found.state) ? undefined : found;
    }, 'the investigation to finish');
    const text = JSON.stringify(detail);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(BAD_KEY);
    // Prometheus answered: no toolset failed for want of it, so the result is not degraded.
    expect(text).not.toMatch(/Prometheus at \S+ is not reachable/);
    expect(detail.result?.status).not.toBe('degraded');
    // The echoing model was tried, refused, and the loop went on with the next one.
    expect(model!.bodies.length).toBeGreaterThan(0);
    for (const body of model!.bodies) {
      expect(body).not.toContain(PASSWORD);
      expect(body).not.toContain(BAD_KEY);
    }
    const ask = await fetch(`${serve!.url}/api/v1/ask`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'why is search crash looping?' }),
    });
    const answer = await ask.text();
    expect(answer).not.toContain(BAD_KEY);
    expect(answer).not.toContain(PASSWORD);
    expect(serve!.stderr()).not.toContain(BAD_KEY);
    expect(serve!.stderr()).not.toContain(PASSWORD);
    // Every byte the store holds, write-ahead log included.
    const store = join(sandbox.dir, 'store');
    for (const name of readdirSync(store)) {
      const bytes = readFileSync(join(store, name));
      expect(bytes.includes(Buffer.from(BAD_KEY)), name).toBe(false);
      expect(bytes.includes(Buffer.from(PASSWORD)), name).toBe(false);
    }
  });
});
