const SEPARATOR = /[-_:./]/;
const UNSAFE = /[{},\s]/;

function stemOf(value: string): string | undefined {
  for (let index = value.length - 2; index > 0; index -= 1) {
    if (SEPARATOR.test(value[index]!)) return value.slice(0, index + 1);
  }
  return undefined;
}

/**
 * Lists names with a shared stem once, in brace form: `chat-api-6f8b9c7d54-{2xkqp,h7v9n}`,
 * `vllm:num_requests_{running,waiting}` — every name is still there, in a fraction of the tokens.
 * Neighbours are grouped in the given order; names with braces, commas or spaces stay as they are.
 */
export function groupByStem(values: string[]): string[] {
  const out: string[] = [];
  let stem: string | undefined;
  let tails: string[] = [];
  const flush = () => {
    if (stem !== undefined) out.push(tails.length > 1 ? `${stem}{${tails.join(',')}}` : `${stem}${tails[0]}`);
    stem = undefined;
    tails = [];
  };
  for (const value of values) {
    const next = UNSAFE.test(value) ? undefined : stemOf(value);
    if (next === undefined) {
      flush();
      out.push(value);
      continue;
    }
    if (next !== stem) flush();
    stem = next;
    tails.push(value.slice(next.length));
  }
  flush();
  return out;
}
