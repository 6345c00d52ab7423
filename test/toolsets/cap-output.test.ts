import { describe, expect, it } from 'vitest';
import { capOutput } from '../../src/toolsets/cap-output.js';

// One token per word keeps the arithmetic visible; the real counter is tested by the toolbox.
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const lines = (count: number) =>
  Array.from({ length: count }, (_, index) => `line ${index + 1} with five words`).join('\n');

describe('capOutput', () => {
  it('returns text within the budget unchanged and omits nothing', () => {
    expect(capOutput('a b c', 10, words)).toEqual({ text: 'a b c' });
  });

  it('drops whole lines from the end and says how many, of how many, and how to narrow', () => {
    const result = capOutput(lines(100), 200, words);

    const kept = result.text.split('\n');
    expect(kept[0]).toBe('line 1 with five words');
    expect(kept.at(-1)).toMatch(/^… output cut at 200 tokens: \d+ more lines not shown$/);
    const dropped = Number(/(\d+) more lines/.exec(kept.at(-1)!)![1]);
    expect(kept.length - 1 + dropped).toBe(100);
    expect(words(result.text)).toBeLessThanOrEqual(200);
    expect(result.omitted).toEqual({
      what: `${dropped} of 100 lines (over the 200-token cap)`,
      hint: expect.stringMatching(/Narrow the call .*top_k.*toolsets\.maxOutputTokens/),
    });
  });

  it('keeps the header and the newest lines when asked to keep the tail', () => {
    const text = `Log of pod-a: 100 lines\n${lines(100)}`;
    const result = capOutput(text, 200, words, { keep: 'tail' });

    const kept = result.text.split('\n');
    expect(kept[0]).toBe('Log of pod-a: 100 lines');
    expect(kept[1]).toMatch(/^… output cut at 200 tokens: \d+ earlier lines not shown$/);
    expect(kept.at(-1)).toBe('line 100 with five words');
    expect(result.omitted?.what).toMatch(/of 101 lines \(the earliest, over the 200-token cap\)/);
  });

  it('keeps the start of the first line when not even one whole line fits, and says what is cut', () => {
    const list = Array.from({ length: 100 }, (_, index) => `name${index}`).join(', ');
    const result = capOutput(`${list}\nsecond line`, 50, words);

    const [kept, notice] = result.text.split('\n');
    expect(kept).toMatch(/^name0, name1, .*…$/);
    expect(words(result.text)).toBeLessThanOrEqual(50);
    expect(notice).toBe('… output cut at 50 tokens: the rest of line 1 and 1 more lines not shown');
    expect(result.omitted?.what).toMatch(
      /^\d+ of \d+ characters of line 1 and 1 more lines \(over the 50-token cap\)$/,
    );
  });
});
