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

  it('counts a long unbroken run (slow for BPE) in pieces, a little above the exact count, and JSON nearly exactly', async () => {
    const count = await loadTokenCounter();
    const exact = getEncoding('o200k_base');
    const text = `label team=${'x9'.repeat(300)} fired`;
    expect(count(text)).toBeGreaterThanOrEqual(exact.encode(text).length);
    expect(count(text) - exact.encode(text).length).toBeLessThanOrEqual(Math.ceil(600 / 128) * 2);
    const json = JSON.stringify({
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field_${i}`, { type: 'string' }])),
    });
    expect(count(json) / exact.encode(json).length).toBeLessThan(1.05);
  });

  it('estimates the part of a run beyond 4,096 characters at a token per byte, never below the tokenizer', async () => {
    const count = await loadTokenCounter();
    const exact = getEncoding('o200k_base');
    const counted = count(`a ${'a'.repeat(100_000)} b`);
    expect(counted).toBeGreaterThan(100_000 - 4096);
    expect(counted).toBeLessThan(100_000);
    expect(counted).toBeGreaterThanOrEqual(exact.encode('a'.repeat(4096)).length);
  });
});
