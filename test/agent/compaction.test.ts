import { afterEach, describe, expect, it } from 'vitest';
import { SUMMARY_ID } from '../../src/agent/compact-node.js';
import { messageText } from '../../src/agent/count-message-tokens.js';
import { createHarness, type Harness } from './agent-harness.js';
import { ALERT, finalAnswer } from './fake-investigator.js';
import type { ScriptedReply, ScriptedRequest } from './scripted-chat-model.js';

let harness: Harness | undefined;
afterEach(() => harness?.close());

const SMALL_MODEL = {
  models: [
    { provider: 'openai', model: 'small', contextWindow: 6_000, maxOutputTokens: 500, price: { input: 1, output: 2 } },
  ],
};

/**
 * A long investigation: each turn says a lot and looks at one more namespace; turn `repeatAt`
 * asks again for the first namespace; turn `turns` answers. Summary calls (no tools bound) get a
 * short summary that mentions the summary it was given, if any.
 */
function longScript(turns: number, repeatAt: number) {
  let turn = 0;
  const summaries: ScriptedRequest[] = [];
  const step = (request: ScriptedRequest): ScriptedReply => {
    if (request.tools.length === 0) {
      summaries.push(request);
      const earlier = messageText(request.messages[1]!).includes('earlier summary:') ? ' (folds the earlier one)' : '';
      return {
        content: `call_t1: GPU 3 shared by embed-batch and chat-api${earlier}.`,
        usage: { input: 900, output: 40 },
      };
    }
    turn += 1;
    const usage = { input: 2_000, output: 350 };
    if (turn === turns) return { toolCalls: [finalAnswer([`call_t${Math.min(repeatAt, turns - 1)}`])], usage };
    const namespace = turn === repeatAt ? 'ns-1' : `ns-${turn}`;
    return {
      content: `Turn ${turn}: ${'looking closer at the GPU of chat-api '.repeat(40)}`,
      toolCalls: [{ id: `call_t${turn}`, name: 'gpu_sharing', args: { namespace } }],
      usage,
    };
  };
  return { turns: Array.from({ length: turns * 3 }, () => step), summaries };
}

describe('compaction', () => {
  it('replaces the previous summary instead of stacking another, so the prompt stays bounded', async () => {
    const script = longScript(14, 99);
    harness = await createHarness(script.turns, SMALL_MODEL);
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('completed');
    const steps = (await harness.agent.records.get(result.id)).steps;
    const compactions = steps.filter((step) => step.kind === 'compaction' && !step.data.skipped);
    expect(compactions.length).toBeGreaterThanOrEqual(2);
    expect(compactions.slice(1).every((step) => step.data.replacedSummary === true)).toBe(true);
    // A summary call only when one is due: far fewer than the turns.
    expect(script.summaries.length).toBe(compactions.length);
    expect(script.summaries.length).toBeLessThan(14 / 2);
    expect(messageText(script.summaries.at(-1)!.messages[1]!)).toContain('earlier summary:');
    // Every turn sees at most one summary, right after the unchanged system prompt and evidence.
    const turns = harness.model.calls.filter((call) => call.tools.length > 0);
    const first = turns[0]!.messages.slice(0, 2).map(messageText);
    for (const call of turns) {
      expect(call.messages.filter((message) => message.id === SUMMARY_ID).length).toBeLessThanOrEqual(1);
      expect(call.messages.slice(0, 2).map(messageText)).toEqual(first);
    }
    const inputs = steps
      .filter((step) => step.kind === 'model-call' && step.data.purpose === 'turn')
      .map((step) => Number(step.data.estimatedInputTokens));
    expect(Math.max(...inputs)).toBeLessThan(6_000 - 500);
    expect(harness.ledgerTotals().input).toBe(harness.model.reported.input);
  });

  it('runs a repeated call again once compaction has summarised its result away', async () => {
    const script = longScript(12, 11);
    harness = await createHarness(script.turns, SMALL_MODEL);
    const result = await harness.agent.investigate(ALERT);
    expect(result.status).toBe('completed');
    expect(script.summaries.length).toBeGreaterThan(0);
    const steps = (await harness.agent.records.get(result.id)).steps;
    expect(steps.filter((step) => step.kind === 'tool-refused')).toEqual([]);
    expect(
      harness.investigator.toolCalls.filter((call) => call.name === 'gpu_sharing' && call.params.namespace === 'ns-1'),
    ).toHaveLength(2);
    expect(result.llm!.answer!.evidence[0]!.sources).toEqual(['call_t11']);
  });
});
