import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerFixture } from '../../agent/provider-fixtures.js';
import { createSandbox, ROOT, runCli, type Sandbox } from '../run-cli.js';

const SCENARIO = join(ROOT, 'test/fixtures/scenarios/gpu-noisy-neighbor-chat');

let sandbox: Sandbox;
let server: Server;
let requests = 0;

/** An OpenAI-compatible server on loopback that answers every call with a recorded final answer. */
async function startServer(): Promise<string> {
  const reply = providerFixture('openai-chat-ask-final-answer');
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
}

describe('holmes investigate with a model configured', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
    const url = await startServer();
    await sandbox.write('holmes.yaml', `models:\n  - { provider: openai, model: Qwen/Qwen2.5-7B-Instruct, baseUrl: "${url}", contextWindow: 32768, price: { input: 0.1, output: 0.3 } }\n`);
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await sandbox?.remove();
  });

  it('runs the agent from the deterministic evidence and meters the model call', async () => {
    const result = await runCli(sandbox, ['investigate', '--scenario', SCENARIO, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout) as { mode: string; deterministic: { mode: string } | null; usage: { modelCalls: number; inputTokens: number } };
    expect(body.mode).toBe('llm');
    expect(body.deterministic?.mode).toBe('deterministic');
    expect(body.usage.modelCalls).toBeGreaterThan(0);
    expect(body.usage.inputTokens).toBeGreaterThan(0);
    expect(requests).toBeGreaterThan(0);
  });

  it('stays at zero tokens with --deterministic: the model is never called', async () => {
    const before = requests;
    const result = await runCli(sandbox, ['investigate', '--scenario', SCENARIO, '--deterministic', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { mode: string }).mode).toBe('deterministic');
    expect(requests).toBe(before);
  });
});
