import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, hasStack, runCli, type Sandbox } from '../run-cli.js';

let sandbox: Sandbox;

describe('holmes ask (the real CLI)', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
  });
  afterAll(() => sandbox?.remove());

  it('exits 2 without a stack and says how to configure a model and what works meanwhile when none is configured', async () => {
    const result = await runCli(sandbox, ['ask', 'why is p99 of chat-api worse than yesterday?']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^error: No model is configured, so `holmes ask` cannot answer free-form questions\.\nfix: Add one to the config/,
    );
    expect(result.stderr).toContain('apiKeys: [{ env: OPENAI_API_KEY }]');
    expect(result.stderr).toContain('holmes investigate --alert-file FILE');
    expect(hasStack(result.stderr)).toBe(false);
  });

  it('refuses a literal API key in the config, naming the field and the fix', async () => {
    await sandbox.write(
      'holmes.yaml',
      'models:\n  - provider: openai\n    model: gpt-4o-mini\n    apiKeys: [sk-live-123]\n',
    );
    const result = await runCli(sandbox, ['ask', 'why?']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'models[0].apiKeys[0]: API keys are not written in the config: use { env: NAME } or { file: PATH }',
    );
    expect(result.stderr).not.toContain('sk-live-123');
  });
});
