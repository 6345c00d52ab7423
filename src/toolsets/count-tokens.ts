import type { Tiktoken } from 'js-tiktoken';

let encoder: Tiktoken | undefined;

/** Tokens as a model would count them (o200k_base); loaded on first use, it is a large table. */
export async function loadTokenCounter(): Promise<(text: string) => number> {
  if (!encoder) {
    const { getEncoding } = await import('js-tiktoken');
    encoder = getEncoding('o200k_base');
  }
  const loaded = encoder;
  return (text: string) => loaded.encode(text).length;
}
