import { getEncoding } from 'js-tiktoken';
import { describe, expect, it } from 'vitest';
import { loadTokenCounter } from '../../src/toolsets/count-tokens.js';

describe('loadTokenCounter', () => {
  it('counts ordinary text exactly as the tokenizer does', async () => {
    const count = await loadTokenCounter();
    const exact = getEncoding('o200k_base');
    const text = Array.from(
      { length: 200 },
      (_, index) => `pod chat-api-7d9f-${index} restarted ${index} times: OOMKilled`,
    ).join('\n');
    const counted = count(text);
    const truth = exact.encode(text).length;
    expect(counted).toBe(truth);
    expect(count('short text')).toBe(exact.encode('short text').length);
  });

  it('estimates a long unbroken run (slow for BPE) above what the tokenizer counts, and the rest exactly', async () => {
    const count = await loadTokenCounter();
    const exact = getEncoding('o200k_base');
    const run = 'x9'.repeat(100);
    const text = `label team=${run} fired`;
    expect(count(text)).toBeGreaterThanOrEqual(exact.encode(text).length);
    expect(count(`a ${'a'.repeat(100_000)} b`)).toBe(exact.encode('a ').length + 100_000 + exact.encode(' b').length);
  });
});
