import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { askCommand } from '../../../src/cli/commands/ask.js';
import { configSchema } from '../../../src/config/config-schema.js';
import { openDatabase } from '../../../src/ledger/open-database.js';
import { replay, type SeenRequest } from '../../agent/provider-fixtures.js';
import { captureContext } from './capture-context.js';

const ENDPOINT = 'http://127.0.0.1:9';
let dir: string;

describe('askCommand', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-ask-'));
    nock.disableNetConnect();
  });
  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await rm(dir, { recursive: true, force: true });
  });

  it('says how to configure a model and what works without one when none is configured', async () => {
    const context = captureContext(configSchema.parse({}));
    await expect(askCommand(context, 'why is p99 of chat-api worse than yesterday?', {})).rejects.toMatchObject({
      code: 'USAGE',
      isUserError: true,
      message: expect.stringContaining('No model is configured'),
      fix: expect.stringMatching(/models:[\s\S]*provider: openai[\s\S]*holmes investigate --alert-file/),
    });
  });

  it('answers through an OpenAI-compatible endpoint on the wire, records the steps and meters the reported usage', async () => {
    const seen: SeenRequest[] = [];
    replay(ENDPOINT, '/v1/chat/completions', 'openai-chat-ask-list-runbooks', seen);
    replay(ENDPOINT, '/v1/chat/completions', 'openai-chat-ask-final-answer', seen);
    const path = join(dir, 'holmes.db');
    const config = configSchema.parse({
      storage: { path },
      models: [
        {
          provider: 'openai',
          model: 'Qwen/Qwen2.5-7B-Instruct',
          baseUrl: `${ENDPOINT}/v1`,
          contextWindow: 32_768,
          price: { input: 0.1, output: 0.3 },
        },
      ],
    });
    const context = captureContext(config, { json: true });
    await askCommand(context, 'Which runbooks cover GPU trouble?', { user: 'alice' });
    const result = JSON.parse(context.stdout()) as {
      status: string;
      llm: { answer: { cause: string; evidence: Array<{ tools: string[] }> } };
      usage: { inputTokens: number; outputTokens: number };
      id: string;
    };
    expect(result).toMatchObject({
      status: 'completed',
      llm: { answer: { cause: 'other', evidence: [{ tools: ['list_runbooks'] }] } },
      usage: { inputTokens: 1412 + 2230, outputTokens: 31 + 148 },
    });
    // The second request carries the tool result of the first, under the provider's own call id.
    const replayed = (seen[1]!.body.messages as Array<{ role: string; tool_call_id?: string; content: string }>).find(
      (message) => message.role === 'tool',
    );
    expect(replayed).toMatchObject({
      tool_call_id: 'chatcmpl-tool-5f2a',
      content: expect.stringContaining('gpu-noisy-neighbor —'),
    });
    const db = openDatabase({ path });
    try {
      expect(
        db
          .prepare(
            `SELECT state, asked_by AS askedBy, input_tokens AS input, output_tokens AS output FROM agent_records`,
          )
          .all(),
      ).toEqual([{ state: 'completed', askedBy: 'cli:alice', input: 3642, output: 179 }]);
      expect(
        db
          .prepare(
            `SELECT sum(input_tokens) AS input, sum(output_tokens) AS output FROM usage_events WHERE kind = 'model'`,
          )
          .get(),
      ).toEqual({ input: 3642, output: 179 });
    } finally {
      db.close();
    }
  });
});
