import { describe, expect, it } from 'vitest';
import { groupByStem } from '../../src/toolsets/group-by-stem.js';

/** Expands `a-{b,c}` back into `a-b`, `a-c`: the grouping must lose nothing. */
function expand(entries: string[]): string[] {
  return entries.flatMap((entry) => {
    const match = /^(.*)\{([^{}]*)\}$/.exec(entry);
    return match ? match[2]!.split(',').map((tail) => `${match[1]}${tail}`) : [entry];
  });
}

describe('groupByStem', () => {
  it('writes neighbours with a shared stem once, in brace form', () => {
    const pods = ['chat-api-6f8b9c7d54-2xkqp', 'chat-api-6f8b9c7d54-h7v9n', 'embed-batch-r4812-v7k2p'];

    expect(groupByStem(pods)).toEqual(['chat-api-6f8b9c7d54-{2xkqp,h7v9n}', 'embed-batch-r4812-v7k2p']);
  });

  it('groups histogram series and metric families and loses no name', () => {
    const names = [
      'vllm:e2e_request_latency_seconds_bucket',
      'vllm:e2e_request_latency_seconds_count',
      'vllm:e2e_request_latency_seconds_sum',
      'vllm:num_requests_running',
      'vllm:num_requests_waiting',
    ];

    const grouped = groupByStem(names);

    expect(grouped).toEqual([
      'vllm:e2e_request_latency_seconds_{bucket,count,sum}',
      'vllm:num_requests_{running,waiting}',
    ]);
    expect(expand(grouped)).toEqual(names);
  });

  it('leaves values with braces, commas or spaces, and values without a separator, as they are', () => {
    const values = ['a,b-1', 'a,b-2', 'up', 'x y-1', 'x y-2'];

    expect(groupByStem(values)).toEqual(values);
  });
});
