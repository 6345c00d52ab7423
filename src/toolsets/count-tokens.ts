import type { Tiktoken } from 'js-tiktoken';

let encoder: Tiktoken | undefined;

/**
 * BPE merging costs grow faster than the length of one unbroken run of characters: a 10 KB label
 * of one letter would block the process for seconds. Runs longer than this are estimated instead
 * (a token per UTF-8 byte, the most byte-level BPE can produce: caps and budgets err on the safe side).
 */
const MAX_EXACT_RUN = 128;
const LONG_RUN = new RegExp(`\\S{${MAX_EXACT_RUN + 1},}`);
const LONG_RUNS = new RegExp(LONG_RUN.source, 'g');

function estimate(run: string): number {
  return Buffer.byteLength(run);
}

/** Tokens as a model would count them (o200k_base); loaded on first use, it is a large table. */
export async function loadTokenCounter(): Promise<(text: string) => number> {
  if (!encoder) {
    const { getEncoding } = await import('js-tiktoken');
    encoder = getEncoding('o200k_base');
  }
  const loaded = encoder;
  return (text: string) => {
    if (!LONG_RUN.test(text)) return loaded.encode(text).length;
    // Ordinary stretches are encoded exactly; only the long runs between them are estimated.
    let count = 0;
    let last = 0;
    for (const match of text.matchAll(LONG_RUNS)) {
      count += loaded.encode(text.slice(last, match.index)).length + estimate(match[0]);
      last = match.index + match[0].length;
    }
    return count + loaded.encode(text.slice(last)).length;
  };
}
