import { describe, expect, it } from 'vitest';
import { describeStep } from '../../../src/integrations/slack/answer-message.js';

describe('describeStep', () => {
  it('names the tools the model calls, and says when it writes the answer', () => {
    expect(describeStep('model-call', { toolCalls: [{ name: 'pod_logs' }, { name: 'final_answer' }] })).toBe(
      'calling `pod_logs`',
    );
    expect(describeStep('model-call', { toolCalls: [{ name: 'final_answer' }] })).toBe('writing the answer');
  });

  it("says it summarises on the agent's compaction step, and nothing when compaction was skipped", () => {
    expect(describeStep('compaction', { summarised: 6, tokensBefore: 9000, tokensAfter: 3000 })).toBe(
      'summarising the conversation so far',
    );
    expect(describeStep('compaction', { skipped: 'fits', tokens: 1200 })).toBeUndefined();
  });
});
