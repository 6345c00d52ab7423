/**
 * Keeps a tool's text within a token budget by dropping whole lines from the end, and says what
 * was dropped and how to see it — never a silent cut.
 */
export function capOutput(
  text: string,
  maxTokens: number,
  countTokens: (text: string) => number,
): { text: string; omitted?: { what: string; hint: string } } {
  if (countTokens(text) <= maxTokens) return { text };
  const lines = text.split('\n');
  let low = 0;
  let high = lines.length;
  // Binary search for the most lines that fit, leaving room for the notice.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (countTokens(lines.slice(0, middle).join('\n')) <= maxTokens - 40) low = middle;
    else high = middle - 1;
  }
  const dropped = lines.length - low;
  const kept = lines.slice(0, low).join('\n');
  return {
    text: `${kept}\n… output cut at ${maxTokens} tokens: ${dropped} more lines not shown`,
    omitted: {
      what: `${dropped} of ${lines.length} lines (over the ${maxTokens}-token cap)`,
      hint: 'Narrow the call (namespace, pod, node, selector, filter) or lower top_k; the cap is toolsets.maxOutputTokens.',
    },
  };
}
