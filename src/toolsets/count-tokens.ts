import type { Tiktoken } from 'js-tiktoken';

let encoder: Tiktoken | undefined;

/**
 * BPE merging costs grow with the square of one unbroken run of characters: a 10 KB label of one
 * letter would block the process for seconds. Long runs are encoded in pieces of this many
 * characters (a token or so more per piece than the exact count, never fewer), and beyond
 * MAX_EXACT characters a run is estimated at a token per UTF-8 byte, the most byte-level BPE gives.
 */
const PIECE = 128;
const MAX_EXACT = 4096;
const LONG_RUN = new RegExp(`\\S{${PIECE + 1},}`);
const LONG_RUNS = new RegExp(LONG_RUN.source, 'g');

/** Tokens as a model would count them (o200k_base); loaded on first use, it is a large table. */
export async function loadTokenCounter(): Promise<(text: string) => number> {
  if (!encoder) {
    const { getEncoding } = await import('js-tiktoken');
    encoder = getEncoding('o200k_base');
  }
  const loaded = encoder;
  const run = (text: string) => {
    let count = Buffer.byteLength(text.slice(MAX_EXACT));
    for (let start = 0; start < Math.min(text.length, MAX_EXACT); start += PIECE)
      count += loaded.encode(text.slice(start, Math.min(start + PIECE, MAX_EXACT))).length;
    return count;
  };
  return (text: string) => {
    if (!LONG_RUN.test(text)) return loaded.encode(text).length;
    let count = 0;
    let last = 0;
    for (const match of text.matchAll(LONG_RUNS)) {
      count += loaded.encode(text.slice(last, match.index)).length + run(match[0]);
      last = match.index + match[0].length;
    }
    return count + loaded.encode(text.slice(last)).length;
  };
}
