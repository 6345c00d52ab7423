export interface CapOptions {
  /**
   * Which end survives: `head` (default) keeps the first lines; `tail` keeps the first line (the
   * header) and the last lines — for logs, whose newest lines matter most.
   */
  keep?: 'head' | 'tail';
}

/**
 * Keeps a tool's text within a token budget by dropping whole lines, and says what was dropped
 * and how to see it — never a silent cut.
 */
export function capOutput(
  text: string,
  maxTokens: number,
  countTokens: (text: string) => number,
  options: CapOptions = {},
): { text: string; omitted?: { what: string; hint: string } } {
  if (countTokens(text) <= maxTokens) return { text };
  const lines = text.split('\n');
  const tail = options.keep === 'tail' && lines.length > 1;
  const header = tail ? lines.slice(0, 1) : [];
  const body = tail ? lines.slice(1) : lines;
  const pick = (count: number) => (tail ? [...header, ...body.slice(body.length - count)] : body.slice(0, count));
  let low = 0;
  let high = body.length;
  // Binary search for the most lines that fit, leaving room for the notice.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (countTokens(pick(middle).join('\n')) <= maxTokens - 40) low = middle;
    else high = middle - 1;
  }
  if (low === 0 && !tail) {
    // Not even the first line fits (one long list): keep as much of it as does.
    const first = lines[0]!;
    let chars = 0;
    let most = first.length;
    while (chars < most) {
      const middle = Math.ceil((chars + most) / 2);
      if (countTokens(first.slice(0, middle)) <= maxTokens - 40) chars = middle;
      else most = middle - 1;
    }
    const rest = lines.length - 1;
    return {
      text: `${first.slice(0, chars)}…\n… output cut at ${maxTokens} tokens: the rest of line 1${rest > 0 ? ` and ${rest} more lines` : ''} not shown`,
      omitted: {
        what: `${first.length - chars} of ${first.length} characters of line 1${rest > 0 ? ` and ${rest} more lines` : ''} (over the ${maxTokens}-token cap)`,
        hint: 'Narrow the call (namespace, pod, node, selector, filter, match) or lower top_k; the cap is toolsets.maxOutputTokens.',
      },
    };
  }
  const dropped = body.length - low;
  const notice = `… output cut at ${maxTokens} tokens: ${dropped} ${tail ? 'earlier' : 'more'} lines not shown`;
  const kept = pick(low);
  return {
    text: tail ? [...header, notice, ...kept.slice(header.length)].join('\n') : `${kept.join('\n')}\n${notice}`,
    omitted: {
      what: `${dropped} of ${lines.length} lines (${tail ? 'the earliest, ' : ''}over the ${maxTokens}-token cap)`,
      hint: 'Narrow the call (namespace, pod, node, selector, filter) or lower top_k; the cap is toolsets.maxOutputTokens.',
    },
  };
}
