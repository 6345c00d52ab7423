import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { messageText } from '../../src/agent/count-message-tokens.js';
import { renderAgentResult } from '../../src/agent/render-agent-result.js';
import type { AgentEvent } from '../../src/agent/run-agent.js';
import { BUILTIN_RUNBOOKS_DIR } from '../../src/runbooks/load-runbooks.js';
import { createServerMetrics } from '../../src/server/server-metrics.js';
import { createHarness, type Harness } from './agent-harness.js';
import { ALERT, createFakeInvestigator, finalAnswer } from './fake-investigator.js';
import type { ScriptedTurn } from './scripted-chat-model.js';

let harness: Harness | undefined;
let dir: string | undefined;
afterEach(async () => {
  harness?.close();
  harness = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const priced = (model: string, price: { input: number; output: number }, extra: Record<string, unknown> = {}) => ({
  provider: 'openai',
  model,
  contextWindow: 100_000,
  maxOutputTokens: 1_000,
  price,
  ...extra,
});

const usageRows = (current: Harness) =>
  current.db
    .prepare(
      `SELECT model, outcome, input_tokens AS input, output_tokens AS output, usd, estimated, flag FROM usage_events WHERE kind = 'model' ORDER BY id`,
    )
    .all() as Array<{
    model: string;
    outcome: string;
    input: number;
    output: number;
    usd: number;
    estimated: number;
    flag: string | null;
  }>;

describe('metering at the edges', () => {
  it('charges a timed-out call its reservation, marked estimated, and says so in the status line', async () => {
    harness = await createHarness(
      [Object.assign(new Error('This operation was aborted'), { name: 'TimeoutError' })],
      { models: [priced('slow', { input: 1, output: 2 }), priced('quick', { input: 1, output: 2 })] },
      { more: [[{ toolCalls: [finalAnswer(['E1'])], usage: { input: 1_500, output: 200 } }]] },
    );
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('completed');
    const [timedOut, answered] = usageRows(harness);
    const reserve = result.llm!.budget.spent;
    expect(timedOut).toMatchObject({ model: 'openai/slow', outcome: 'timeout', estimated: 1, output: 1_000 });
    // Its reservation: the input counted locally times the margin, and max_tokens, priced.
    expect(timedOut!.input).toBeGreaterThan(0);
    expect(timedOut!.usd).toBeCloseTo((timedOut!.input * 1 + 1_000 * 2) / 1e6, 12);
    expect(answered).toMatchObject({ model: 'openai/quick', outcome: 'ok', input: 1_500, estimated: 0 });
    expect(reserve.estimatedCalls).toBe(1);
    expect(result.usage.usd).toBeCloseTo(timedOut!.usd + answered!.usd, 12);
    expect(renderAgentResult({ ...result, llm: result.llm! })).toMatch(
      /~\d+ in \/ ~\d+ out tokens · ~\$[\d.]+ \(1 call estimated\)/,
    );
  });

  it('flags usage far above the reservation in the record, the ledger and /metrics', async () => {
    harness = await createHarness([{ toolCalls: [finalAnswer(['E1'])], usage: { input: 3_000_000, output: 200 } }]);
    const result = await harness.agent.investigate(ALERT);
    const flag = (await harness.agent.records.get(result.id)).steps.find((step) => step.kind === 'usage-flag');
    expect(flag?.data).toMatchObject({ flag: 'over-reservation', usage: { inputTokens: 3_000_000 } });
    expect((flag!.data.reserved as { inputTokens: number }).inputTokens).toBeLessThan(10_000);
    expect(usageRows(harness)[0]).toMatchObject({ flag: 'over-reservation', estimated: 0 });
    expect(result.llm!.budget.spent.flaggedCalls).toBe(1);
    const metrics = createServerMetrics({ spend: { ledger: harness.agent.ledger, budget: harness.config.budget } });
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'holmes_llm_usage_flags_total{team="chat",model="openai/scripted-model",flag="over_reservation"} 1',
    );
    expect(text).toContain(
      'holmes_llm_tokens_total{team="chat",model="openai/scripted-model",direction="input"} 3000000',
    );
  });

  it("tries the next model when the primary's worst case does not fit the budget, and says so", async () => {
    harness = await createHarness(
      [],
      {
        models: [priced('premium', { input: 50, output: 200 }), priced('thrifty', { input: 0.1, output: 0.4 })],
        budget: { perInvestigation: { maxUsd: 0.05 } },
      },
      { more: [[{ toolCalls: [finalAnswer(['E1'])], usage: { input: 1_200, output: 150 } }]] },
    );
    const events: AgentEvent[] = [];
    const result = await harness.agent.investigate(ALERT, { onEvent: (event) => events.push(event) });
    expect(result.status).toBe('completed');
    expect(harness.models[0]!.calls).toHaveLength(0);
    expect(events.find((event) => event.kind === 'failover')).toMatchObject({
      transient: true,
      data: { model: 'openai/premium', outcome: 'over-budget', next: 'openai/thrifty' },
    });
    expect(result.llm!.models).toEqual(['openai/thrifty']);
    const call = (await harness.agent.records.get(result.id)).steps.find((step) => step.kind === 'model-call');
    expect(call!.data.attempts).toEqual([
      expect.objectContaining({
        model: 'openai/premium',
        outcome: 'over-budget',
        message: expect.stringMatching(/would pass the cap of \$0\.05$/),
      }),
      expect.objectContaining({ model: 'openai/thrifty', outcome: 'ok' }),
    ]);
  });

  it('refuses when no model in the list fits, and names the cap', async () => {
    harness = await createHarness([], {
      models: [priced('premium', { input: 50, output: 200 }), priced('also-dear', { input: 40, output: 160 })],
      budget: { perInvestigation: { maxUsd: 0.05 } },
    });
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('budget-exceeded');
    expect(result.llm!.budget.refusal).toMatchObject({ action: 'refuse', cap: 'maxUsd', model: 'openai/also-dear' });
  });

  it('keeps an invalid answer given on the last step as the partial answer', async () => {
    harness = await createHarness(
      [
        {
          toolCalls: [finalAnswer(['call_nowhere'], { summary: 'embed-batch time-slices GPU 3 with chat-api.' })],
          usage: { input: 900, output: 150 },
        },
      ],
      { budget: { perInvestigation: { maxSteps: 1 } } },
    );
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('budget-exceeded');
    expect(result.llm!.partialAnswer).toContain('gpu-noisy-neighbor: embed-batch time-slices the GPU of chat-api');
    expect(result.llm!.partialAnswer).toContain('embed-batch time-slices GPU 3 with chat-api.');
  });

  it('tells the model the time the investigation started, the same on every call', async () => {
    const answer = { toolCalls: [finalAnswer(['E1'])], usage: { input: 900, output: 150 } };
    const look: ScriptedTurn = {
      toolCalls: [{ name: 'gpu_sharing', args: { namespace: 'llm' } }],
      usage: { input: 800, output: 20 },
    };
    harness = await createHarness([look, answer]);
    const before = new Date().toISOString().slice(0, 13);
    await harness.agent.investigate(ALERT);
    const prompts = harness.model.calls.map((call) => messageText(call.messages[0]!));
    expect(prompts[0]).toMatch(new RegExp(`Now is ${before}:\\d\\dZ \\(UTC\\)`));
    expect(prompts[1]).toBe(prompts[0]);
  });
});

describe('the cause vocabulary', () => {
  /** A runbook of the user's own: a built-in one under another id. */
  async function userRunbooks(): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'holmes-runbooks-'));
    const text = await readFile(join(BUILTIN_RUNBOOKS_DIR, 'oom-killed.md'), 'utf8');
    await writeFile(join(dir, 'batch-oom.md'), text.replace(/^id: oom-killed$/m, 'id: team-batch-oom'));
    return dir;
  }

  it("accepts a user's own runbook id as the cause and offers it in final_answer", async () => {
    const directory = await userRunbooks();
    const investigator = await createFakeInvestigator([BUILTIN_RUNBOOKS_DIR, directory]);
    const answer = finalAnswer(['E1'], {
      cause: 'team-batch-oom',
      remediation: [{ step: 'Raise the memory limit of the batch job', runbook: 'team-batch-oom' }],
    });
    harness = await createHarness([{ toolCalls: [answer], usage: { input: 900, output: 150 } }], {}, { investigator });
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('completed');
    expect(result.rootCause?.id).toBe('team-batch-oom');
    const offered = harness.model.calls[0]!.tools as Array<{
      function: { name: string; parameters: { properties: { cause?: { enum: string[] } } } };
    }>;
    const causes = offered.find((tool) => tool.function.name === 'final_answer')!.function.parameters.properties.cause!
      .enum;
    expect(causes).toEqual(expect.arrayContaining(['team-batch-oom', 'oom-killed', 'gpu-noisy-neighbor', 'other']));
  });

  it('refuses a cause whose runbook is not loaded', async () => {
    const directory = await userRunbooks();
    const investigator = await createFakeInvestigator([directory]);
    harness = await createHarness(
      [
        { toolCalls: [finalAnswer(['E1'])], usage: { input: 900, output: 150 } },
        { content: 'Then I cannot name it.', usage: { input: 900, output: 10 } },
        { content: 'Still cannot.', usage: { input: 900, output: 10 } },
      ],
      {},
      { investigator },
    );
    const result = await harness.agent.investigate(ALERT);
    const invalid = (await harness.agent.records.get(result.id)).steps.find((step) => step.kind === 'answer-invalid');
    expect((invalid?.data.issues as string[]).join('\n')).toMatch(/^cause: Invalid option/);
    expect(result.llm!.answer).toBeNull();
  });
});
