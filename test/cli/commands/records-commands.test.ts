import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetCommand } from '../../../src/cli/commands/budget.js';
import { investigationsList, investigationsShow } from '../../../src/cli/commands/investigations.js';
import { replayCommand } from '../../../src/cli/commands/replay.js';
import { configSchema, type HolmesConfig } from '../../../src/config/config-schema.js';
import { createHarness, type Harness } from '../../agent/agent-harness.js';
import { ALERT, finalAnswer } from '../../agent/fake-investigator.js';
import { captureContext } from './capture-context.js';

let dir: string;
let harness: Harness;
let config: HolmesConfig;
let completed: string;
let stopped: string;

describe('holmes investigations, replay and budget (over a recorded store)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-records-'));
    const path = join(dir, 'holmes.db');
    const budget = { teams: { chat: { dailyUsd: 0.01, monthlyUsd: 5 } } };
    harness = await createHarness(
      [
        {
          content: 'Checking who shares the GPU.',
          toolCalls: [{ id: 'call_share', name: 'gpu_sharing', args: { namespace: 'llm' } }],
          usage: { input: 1_500, output: 40 },
        },
        { toolCalls: [finalAnswer(['E1', 'call_share'])], usage: { input: 2_500, output: 200 } },
        { toolCalls: [{ name: 'vllm_overview', args: {} }], usage: { input: 2_000, output: 900 } },
        { toolCalls: [{ name: 'gpu_sharing', args: {} }], usage: { input: 2_000, output: 900 } },
      ],
      { budget },
      { path },
    );
    completed = (await harness.agent.investigate(ALERT)).id;
    stopped = (await harness.agent.investigate(ALERT)).id;
    config = configSchema.parse({ storage: { path }, budget });
  });
  afterAll(async () => {
    harness?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the records newest first with state, team, cause and cost', async () => {
    const context = captureContext(config);
    await investigationsList(context, {});
    const lines = context.stdout().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${stopped.slice(0, 8)} .* budget-exceeded +llm +chat +gpu-noisy-neighbor`));
    expect(lines[1]).toMatch(
      new RegExp(`^${completed.slice(0, 8)} .* completed +llm +chat +gpu-noisy-neighbor +4240 tokens \\$0\\.0045`),
    );
  });

  it('shows one record by id prefix, with its answer', async () => {
    const context = captureContext(config);
    await investigationsShow(context, completed.slice(0, 8));
    expect(context.stdout()).toContain(
      'CAUSE  gpu-noisy-neighbor — embed-batch time-slices the GPU of chat-api (confidence 85%)',
    );
    expect(context.stdout()).toContain(`holmes replay ${completed.slice(0, 8)}`);
  });

  it('re-renders every step from the record without calling the model or a tool', async () => {
    const modelCalls = harness.model.calls.length;
    const toolCalls = harness.investigator.toolCalls.length;
    const context = captureContext(config);
    await replayCommand(context, completed, {});
    const text = context.stdout();
    expect(text).toMatch(/#1 admission {2}llm — team chat \(label team\)/);
    expect(text).toContain('calls gpu_sharing {"namespace":"llm"} [call_share]');
    expect(text).toContain('   | GPU 3 on gpu-a100-07: 2 workloads, time-sliced');
    expect(text).toMatch(/turn on openai\/scripted-model; 1500 in \/ 40 out tokens/);
    expect(text).toContain('CAUSE  gpu-noisy-neighbor');
    expect(harness.model.calls.length).toBe(modelCalls);
    expect(harness.investigator.toolCalls.length).toBe(toolCalls);
  });

  it('replays the budget refusal of a stopped investigation', async () => {
    const context = captureContext(config);
    await replayCommand(context, stopped, { brief: true });
    expect(context.stdout()).toMatch(/#\d+ budget.* refuse \(team daily budget\): team chat has spent \$0\.0083/);
  });

  it('reports spend per team against its budgets and per model, as JSON', async () => {
    const context = captureContext(config, { json: true });
    await budgetCommand(context, {});
    const report = JSON.parse(context.stdout()) as {
      teams: Array<Record<string, unknown>>;
      byModel: Array<Record<string, unknown>>;
    };
    const spent = harness.ledgerTotals();
    expect(report.teams).toEqual([
      { team: 'chat', dayUsd: spent.usd, dailyUsd: 0.01, monthUsd: spent.usd, monthlyUsd: 5, overBudget: false },
    ]);
    expect(report.byModel).toEqual([
      {
        key: 'openai/scripted-model',
        calls: spent.calls,
        inputTokens: spent.input,
        cachedTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: spent.output,
        usd: spent.usd,
        estimatedCalls: 0,
        flaggedCalls: 0,
      },
    ]);
  });

  it('breaks spend down by the tools whose results each call read', async () => {
    const context = captureContext(config, { json: true });
    await budgetCommand(context, { by: 'tool' });
    const report = JSON.parse(context.stdout()) as { byTool: Array<{ key: string; inputTokens: number }> };
    // The answer of the first investigation read gpu_sharing's result; the second's refused call never happened.
    expect(report.byTool.map((row) => [row.key, row.inputTokens])).toEqual([
      ['-', 1_500 + 2_000],
      ['gpu_sharing', 2_500],
    ]);
  });

  it('says where each model price and window comes from, and marks estimated spend', async () => {
    await harness.agent.ledger.record({
      team: 'chat',
      kind: 'model',
      model: 'openai/llama3.1:8b',
      outcome: 'timeout',
      inputTokens: 6_000,
      cachedTokens: 0,
      outputTokens: 1_024,
      usd: 0,
      estimated: true,
    });
    const withModels = configSchema.parse({
      ...config,
      models: [
        { provider: 'openai', model: 'gpt-4o-mini' },
        { provider: 'openai', model: 'llama3.1:8b', baseUrl: 'http://127.0.0.1:11434/v1' },
        {
          provider: 'openai',
          model: 'qwen',
          baseUrl: 'http://vllm:8000/v1',
          contextWindow: 32_768,
          price: { input: 0, output: 0 },
        },
      ],
    });
    const context = captureContext(withModels);
    await budgetCommand(context, {});
    const text = context.stdout();
    expect(text).toMatch(
      /openai\/gpt-4o-mini +\$0\.15 \/ \$0\.6 \(cached \$0\.075\) +@pydantic\/genai-prices [\d.]+: openai gpt-4o-mini +128000 +@pydantic/,
    );
    expect(text).toMatch(
      /openai\/llama3\.1:8b +\$0 \/ \$0 +unknown \(not in @pydantic\/genai-prices [\d.]+\): counted as free +8192 +assumed/,
    );
    expect(text).toMatch(
      /openai\/qwen +\$0 \/ \$0 +config models\[2\]\.price +32768 +config models\[2\]\.contextWindow/,
    );
    expect(text).toMatch(/openai\/llama3\.1:8b +1 +~6000 +0 +~1024 +~\$0\.00 +1 estimated/);
    expect(text).toContain('~ includes estimated calls');
  });
});
