import { getEncoding } from 'js-tiktoken';
import { describe, expect, it, vi } from 'vitest';
import { loadTokenCounter, preloadTokenizer } from '../../src/toolsets/count-tokens.js';

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

  it('counts exactly as js-tiktoken o200k_base when its tables are built a slice per turn', async () => {
    // A fresh copy of the module: the tests above already loaded the tokenizer of this one.
    vi.resetModules();
    const fresh = await import('../../src/toolsets/count-tokens.js');
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 0);
    const count = await fresh.loadTokenCounter();
    clearInterval(ticking);
    // Other work ran while it loaded: the load gave the event loop back many times.
    expect(turns).toBeGreaterThan(10);
    const reference = getEncoding('o200k_base');
    for (const text of [
      '',
      'Hello world',
      'DCGM_FI_DEV_GPU_UTIL{gpu="0", UUID="GPU-5fd4"} 97.5',
      'chat-api-7d9f8b6c5-x2kq9   1/1   Running   0   3h12m   10.0.3.17   gpu-a100-07',
      '日本語のテキスト — émigré naïve café 🚀🔥',
      '  leading spaces\n\n\ttabs\r\nand CRLF  ',
      'y'.repeat(120),
    ])
      expect(count(text), JSON.stringify(text.slice(0, 40))).toBe(reference.encode(text).length);
  });

  it('shares one load between a preload at start and the first tool call', async () => {
    const preloaded = preloadTokenizer();
    const [first, second] = await Promise.all([loadTokenCounter(), loadTokenCounter()]);
    await preloaded;
    expect(first('one two three')).toBe(second('one two three'));
    expect(preloadTokenizer()).toBe(preloaded);
  });
});
