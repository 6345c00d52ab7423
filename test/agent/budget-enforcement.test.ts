import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './agent-harness.js';
import { ALERT, finalAnswer } from './fake-investigator.js';
import type { ScriptedTurn } from './scripted-chat-model.js';

let harness: Harness | undefined;
afterEach(() => harness?.close());

/** Each turn asks for another tool and reports 3000 input + 500 output tokens: $0.004 at $1/$2 per 1M. */
function spendingTurns(count: number): ScriptedTurn[] {
  return Array.from({ length: count }, (_, index) => ({
    content: `Looking at namespace ${index}.`,
    toolCalls: [{ name: 'gpu_sharing', args: { namespace: `ns-${index}` } }],
    usage: { input: 3_000, output: 500 },
  }));
}

describe('budget enforcement', () => {
  it('stops a script that would overspend before the call that would cross the cap, and the ledger equals the reported usage', async () => {
    harness = await createHarness(spendingTurns(6), { budget: { perInvestigation: { maxUsd: 0.01 } } });
    const result = await harness.agent.investigate(ALERT);
    // $0.004 per call: after two calls $0.008 is spent and the third could cost at least $0.002 (1000 output tokens alone).
    expect(harness.model.calls).toHaveLength(2);
    expect(harness.model.remaining).toBe(4);
    expect(result.status).toBe('budget-exceeded');
    expect(result.llm!.budget.refusal).toMatchObject({ action: 'refuse', cap: 'maxUsd' });
    expect(result.usage.usd).toBeLessThanOrEqual(0.01);
    const totals = harness.ledgerTotals();
    expect({ input: totals.input, output: totals.output }).toEqual(harness.model.reported);
    expect(harness.model.reported).toEqual({ input: 6_000, output: 1_000 });
    expect(totals.usd).toBeCloseTo(0.008, 10);
    // The partial answer and the deterministic result are both handed back.
    expect(result.llm!.partialAnswer).toContain('Looking at namespace 1.');
    expect(result.llm!.deterministic?.rootCause?.id).toBe('gpu-noisy-neighbor');
    expect(result.rootCause?.id).toBe('gpu-noisy-neighbor');
    const record = await harness.agent.records.get(result.id);
    expect(record).toMatchObject({ state: 'budget-exceeded', inputTokens: 6_000, outputTokens: 1_000 });
    expect(record.steps.filter((step) => step.kind === 'budget')).toHaveLength(1);
  });

  it.each([
    ['maxSteps', { maxSteps: 3 }, 3],
    ['maxInputTokens', { maxInputTokens: 7_000 }, 2],
    ['maxOutputTokens', { maxOutputTokens: 2_400 }, 3],
  ])('refuses the call that would pass %s', async (cap, perInvestigation, calls) => {
    harness = await createHarness(spendingTurns(6), { budget: { perInvestigation } });
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('budget-exceeded');
    expect(result.llm!.budget.refusal?.cap).toBe(cap);
    expect(harness.model.calls).toHaveLength(calls);
    expect(harness.ledgerTotals().input).toBe(harness.model.reported.input);
  });

  it("refuses the call that would cross the team's daily budget, counting what other investigations spent", async () => {
    harness = await createHarness(
      [
        ...spendingTurns(2),
        { toolCalls: [finalAnswer(['E1'])], usage: { input: 1_000, output: 100 } },
        ...spendingTurns(6),
      ],
      { budget: { teams: { chat: { dailyUsd: 0.02 } } } },
    );
    const first = await harness.agent.investigate(ALERT);
    expect(first.status).toBe('completed');
    const second = await harness.agent.investigate(ALERT);
    expect(second.status).toBe('budget-exceeded');
    expect(second.llm!.budget.refusal?.cap).toBe('team daily budget');
    expect(second.llm!.budget.refusal?.reason).toMatch(/^team chat has spent \$0\.0172/);
    expect(harness.ledgerTotals().usd).toBeLessThanOrEqual(0.02);
    expect(harness.ledgerTotals().input).toBe(harness.model.reported.input);
  });

  it('admits a team that is over budget in deterministic mode only, and says so', async () => {
    harness = await createHarness([], { budget: { teams: { chat: { dailyUsd: 0.012 } } } });
    // Another investigation of the team spent the day's budget.
    await harness.agent.ledger.record({
      team: 'chat',
      kind: 'model',
      model: 'openai/scripted-model',
      outcome: 'ok',
      inputTokens: 8_000,
      cachedTokens: 0,
      outputTokens: 2_000,
      usd: 0.012,
    });
    const result = await harness.agent.investigate(ALERT);
    expect(harness.model.calls).toHaveLength(0);
    expect(result).toMatchObject({
      mode: 'deterministic',
      status: 'completed',
      rootCause: { id: 'gpu-noisy-neighbor' },
    });
    expect(result.llm!.admission.reason).toMatch(
      /^team chat is over budget \(spent \$0\.0120 of its daily \$0\.0120\): deterministic investigation only/,
    );
    expect(result.llm!.stopReason).toBe(result.llm!.admission.reason);
  });

  it('charges the team mapped from the user when the alert has no team label', async () => {
    harness = await createHarness([{ toolCalls: [finalAnswer(['E1'])], usage: { input: 500, output: 100 } }], {
      budget: { users: { 'cli:alice': 'search' } },
    });
    const result = await harness.agent.investigate(
      { ...ALERT, labels: { alertname: 'InferenceP99High', namespace: 'llm' } },
      { requester: 'cli:alice' },
    );
    expect(result.llm!.admission).toMatchObject({ team: 'search', teamSource: 'user cli:alice' });
    expect((await harness.agent.ledger.spendBy('team', { sinceDay: '2000-01-01' })).map((row) => row.key)).toEqual([
      'search',
    ]);
  });
});
