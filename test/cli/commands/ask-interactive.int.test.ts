import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackModelServer, type LoopbackModelServer } from '../../agent/loopback-model-server.js';
import { collect, createSandbox, ROOT, runCli, type Sandbox } from '../run-cli.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let sandbox: Sandbox;
let model: LoopbackModelServer;

describe('holmes ask --interactive (the real CLI, an OpenAI-compatible server on loopback)', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
    model = await startLoopbackModelServer([
      'openai-chat-ask-list-runbooks',
      'openai-chat-ask-final-answer',
      'openai-chat-ask-list-runbooks',
      'openai-chat-ask-final-answer',
    ]);
    await sandbox.write(
      'holmes.yaml',
      `models:\n  - { provider: openai, model: Qwen/Qwen2.5-7B-Instruct, baseUrl: "${model.url}", contextWindow: 32768, price: { input: 0.1, output: 0.3 } }\n`,
    );
  });
  afterAll(async () => {
    await model?.close();
    await sandbox?.remove();
  });

  it('answers the question, then a follow-up that sees the thread, and records both in one thread', async () => {
    const child = spawn(
      process.execPath,
      ['--import', TSX, join(ROOT, 'src/cli/main.ts'), 'ask', '--interactive', 'Which runbooks cover GPU trouble?'],
      { cwd: sandbox.dir, env: sandbox.env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    child.stdin.end('And which of them needs DCGM?\n');
    const result = await collect(child);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.match(/^CAUSE {2}other — GPU runbooks available/gm)).toHaveLength(2);
    expect(result.stdout).toContain('Question And which of them needs DCGM?');
    expect(model.bodies).toHaveLength(4);
    const followUp = model.bodies[2]!.messages.find((message) => message.role === 'user')!.content!;
    expect(followUp).toMatch(
      /^Earlier in this conversation:\nQ: Which runbooks cover GPU trouble\?\nA: other: GPU runbooks available/,
    );
    const listed = await runCli(sandbox, ['investigations', 'list', '--json']);
    const records = JSON.parse(listed.stdout) as Array<{
      threadId: string;
      state: string;
      askedBy: string;
      kind: string;
    }>;
    expect(records).toHaveLength(2);
    expect(
      records.every(
        (record) => record.state === 'completed' && record.kind === 'question' && record.askedBy?.startsWith('cli:'),
      ),
    ).toBe(true);
    expect(records[0]!.threadId).toBe(records[1]!.threadId);
    const budget = JSON.parse((await runCli(sandbox, ['budget', '--json'])).stdout) as {
      byModel: Array<{ key: string; inputTokens: number; outputTokens: number }>;
    };
    expect(budget.byModel).toEqual([
      expect.objectContaining({ key: 'openai/Qwen/Qwen2.5-7B-Instruct', inputTokens: 2 * 3642, outputTokens: 2 * 179 }),
    ]);
  });
});
