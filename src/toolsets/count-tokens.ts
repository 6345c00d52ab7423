import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Tiktoken } from 'js-tiktoken/lite';

/** Ranks added to the tokenizer per turn of the event loop: a few milliseconds each. */
const RANKS_PER_TURN = 1_000;

let loading: Promise<Tiktoken> | undefined;

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

// js-tiktoken keeps its tables in these two maps and builds them in its constructor, 200,000
// entries of o200k_base in one go (0.5 s on an idle core, seconds on a busy one) during which
// nothing else runs. Here the constructor gets no ranks and the maps are filled a slice per turn.
interface TiktokenTables {
  rankMap?: unknown;
  textMap?: unknown;
}

async function build(): Promise<Tiktoken> {
  const [{ Tiktoken }, { default: ranks }] = await Promise.all([
    import('js-tiktoken/lite'),
    import('js-tiktoken/ranks/o200k_base'),
  ]);
  const encoder = new Tiktoken({ ...ranks, bpe_ranks: '' });
  const tables = encoder as unknown as TiktokenTables;
  // Another version of the library may keep its tables otherwise: build it the blocking way then.
  if (!(tables.rankMap instanceof Map) || !(tables.textMap instanceof Map)) return new Tiktoken(ranks);
  const rankMap = tables.rankMap as Map<string, number>;
  const textMap = tables.textMap as Map<number, Uint8Array>;
  // Each line of bpe_ranks: a name, the first rank, then the base64 of each token's bytes in rank
  // order. Read with a cursor, not split: 200,000 tokens in one array is a long turn of its own.
  for (const line of ranks.bpe_ranks.split('\n')) {
    const first = line.indexOf(' ');
    let cursor = line.indexOf(' ', first + 1);
    const offset = Number.parseInt(line.slice(first + 1, cursor), 10);
    if (first < 0 || cursor < 0 || !Number.isFinite(offset)) continue;
    for (let rank = offset; cursor < line.length; rank += 1) {
      const end = line.indexOf(' ', cursor + 1);
      const token = line.slice(cursor + 1, end < 0 ? line.length : end);
      cursor = end < 0 ? line.length : end;
      const bytes = new Uint8Array(Buffer.from(token, 'base64'));
      rankMap.set(bytes.join(','), rank);
      textMap.set(rank, bytes);
      if ((rank - offset + 1) % RANKS_PER_TURN === 0) await nextTurn();
    }
  }
  return encoder;
}

function load(): Promise<Tiktoken> {
  // A failed load is not kept: the next caller tries again.
  return (loading ??= build().catch((error: unknown) => {
    loading = undefined;
    throw error;
  }));
}

/**
 * Starts loading the tokenizer (o200k_base) in the background, a slice per turn of the event
 * loop, so a server that calls this at start keeps answering meanwhile. Idempotent.
 */
export function preloadTokenizer(): Promise<unknown> {
  return load();
}

/** Tokens as a model would count them (o200k_base); waits for the tokenizer if it is still loading. */
export async function loadTokenCounter(): Promise<(text: string) => number> {
  const loaded = await load();
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
