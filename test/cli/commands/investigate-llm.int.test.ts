import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackModelServer, type LoopbackModelServer } from '../../agent/loopback-model-server.js';
import { createSandbox, ROOT, runCli, type Sandbox } from '../run-cli.js';

const SCENARIO = join(ROOT, 'test/fixtures/scenarios/gpu-noisy-neighbor-chat');

let sandbox: Sandbox;
let model: LoopbackModelServer;

describe('holmes investigate with a model configured', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
    model = await startLoopbackModelServer(['openai-chat-ask-final-answer'], { repeatLast: true });
    await sandbox.write(
      'holmes.yaml',
      `models:\n  - { provider: openai, model: Qwen/Qwen2.5-7B-Instruct, baseUrl: "${model.url}", contextWindow: 32768, price: { input: 0.1, output: 0.3 } }\n`,
    );
  });
  afterAll(async () => {
    await model?.close();
    await sandbox?.remove();
  });

  it('runs the agent from the deterministic evidence and meters the model call', async () => {
    const result = await runCli(sandbox, ['investigate', '--scenario', SCENARIO, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout) as {
      mode: string;
      llm: { deterministic: { mode: string } | null };
      usage: { modelCalls: number; inputTokens: number };
    };
    expect(body.mode).toBe('llm');
    expect(body.llm.deterministic?.mode).toBe('deterministic');
    expect(body.usage.modelCalls).toBeGreaterThan(0);
    expect(body.usage.inputTokens).toBeGreaterThan(0);
    expect(model.bodies.length).toBeGreaterThan(0);
  });

  it('stays at zero tokens with --deterministic: the model is never called', async () => {
    const before = model.bodies.length;
    const result = await runCli(sandbox, ['investigate', '--scenario', SCENARIO, '--deterministic', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { mode: string }).mode).toBe('deterministic');
    expect(model.bodies.length).toBe(before);
  });
});
