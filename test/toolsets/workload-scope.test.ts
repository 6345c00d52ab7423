import { describe, expect, it } from 'vitest';
import { createPodMatcher, ourPodsRegex } from '../../src/toolsets/signals/workload-scope.js';

describe('createPodMatcher', () => {
  it('matches the workload’s pods of every controller naming, old and new, and nothing else', () => {
    const ours = createPodMatcher({ namespace: 'llm', workload: 'chat-api', pods: [] });
    for (const pod of [
      'chat-api-7d9f8b6c5-x2k4q',
      'chat-api-5f6d7c8b9d-abcde',
      'chat-api-0',
      'chat-api-x2k4q',
      'chat-api-worker-3',
      'chat-api-0-1',
    ])
      expect(ours('llm', pod), pod).toBe(true);
    for (const pod of ['chat-api-batch-7d9f8b6c5-x2k4q', 'chat-apix-0', 'batch-embed-0', 'chat-api'])
      expect(ours('llm', pod), pod).toBe(false);
    expect(ours('other', 'chat-api-0')).toBe(false);
  });

  it('matches resolved pods by their exact names, dots and all, when the workload is unknown', () => {
    const ours = createPodMatcher({ namespace: 'ml', pods: ['trainer.a-1', 'trainer-b'] });
    expect(ours('ml', 'trainer.a-1')).toBe(true);
    expect(ours('ml', 'trainerxa-1')).toBe(false);
    expect(ourPodsRegex({ namespace: 'ml', pods: ['a.b'] })).toBe('a\\.b');
  });
});
