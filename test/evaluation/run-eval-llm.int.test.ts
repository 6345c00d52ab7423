import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { runEval } from '../../src/evaluation/run-eval.js';
import { formatEvalMarkdown } from '../../src/evaluation/format-eval-markdown.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { ScriptedChatModel } from '../agent/scripted-chat-model.js';

// One scenario: gpu-noisy-neighbor-chat (expected gpu-noisy-neighbor, mentions batch-embed and "gpu 0").
const SCENARIOS = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));

/** A scripted model that looks once, then answers `cause` naming the scenario's pods (the harness's scoring is under test, not a model). */
function answering(cause: string) {
  return new ScriptedChatModel([
    { toolCalls: [{ id: 'c1', name: 'gpu_sharing', args: { namespace: 'llm' } }], usage: { input: 2_000, output: 30 } },
    {
      toolCalls: [
        {
          name: 'final_answer',
          args: {
            cause,
            title: 'Shared GPU',
            summary: 'batch-embed-5c4b-q7 runs on GPU 0 of gpu-node-1 next to chat-api-7d9f-x2.',
            evidence: [{ finding: 'batch-embed-5c4b-q7 shares the GPU', sources: ['E1', 'c1'] }],
            remediation: [{ step: 'Move batch-embed-5c4b-q7', runbook: cause }],
            confidence: 0.8,
          },
        },
      ],
      usage: { input: 3_000, output: 150 },
    },
  ]);
}

let db: Db;

describe('runEval --mode llm (scripted model, lab)', () => {
  beforeEach(() => {
    db = openDatabase({ path: ':memory:' });
  });
  afterEach(() => db.close());

  it('passes a scenario whose answer has the expected cause and every mention, with tokens, USD and time', async () => {
    const model = answering('gpu-noisy-neighbor');
    const config = configSchema.parse({ models: [{ provider: 'openai', model: 'gpt-4o-mini' }] });
    const report = await runEval(SCENARIOS, config, undefined, {
      mode: 'llm',
      agent: { createModel: () => model, db },
    });
    expect(report.mode).toBe('llm');
    expect(report.results).toHaveLength(1);
    const [result] = report.results;
    expect(result, result!.error ?? undefined).toMatchObject({
      id: 'gpu-noisy-neighbor-chat',
      expected: 'gpu-noisy-neighbor',
      actual: 'gpu-noisy-neighbor',
      passed: true,
      missing: [],
      inputTokens: 5_000,
      outputTokens: 180,
    });
    expect(result!.usd).toBeCloseTo((5_000 * 0.15 + 180 * 0.6) / 1e6, 12);
    expect(report.totals).toMatchObject({ inputTokens: 5_000, outputTokens: 180 });
    expect(formatEvalMarkdown(report)).toContain('| **all** | | | | 1/1 | 5000 | 180 |');
  });

  it('fails a scenario whose answer names another cause', async () => {
    const model = answering('cpu-throttling');
    const config = configSchema.parse({ models: [{ provider: 'openai', model: 'gpt-4o-mini' }] });
    const report = await runEval(SCENARIOS, config, undefined, {
      mode: 'llm',
      agent: { createModel: () => model, db },
    });
    expect(report.results[0]).toMatchObject({ actual: 'cpu-throttling', passed: false });
    expect(report.passed).toBe(0);
  });
});
