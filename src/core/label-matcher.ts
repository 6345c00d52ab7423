/** One Alertmanager-style label matcher: `team="search"`, `severity=~"critical|page"`, `env!=dev`. */
export interface LabelMatcher {
  name: string;
  operator: '=' | '!=' | '=~' | '!~';
  value: string;
  /** Anchored like Alertmanager's: the whole value must match. */
  regex?: RegExp;
}

const SHAPE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

function unquote(raw: string): string {
  if (!raw.startsWith('"')) return raw;
  if (raw.length < 2 || !raw.endsWith('"')) throw new Error('an opening " has no closing "');
  return raw.slice(1, -1).replace(/\\(.)/g, (_, character: string) => (character === 'n' ? '\n' : character));
}

/** Parses a matcher; the error says what is wrong, for the config loader to place at the field. */
export function parseLabelMatcher(text: string): LabelMatcher {
  const match = SHAPE.exec(text);
  if (!match)
    throw new Error(`'${text}' is not a matcher: write name="value", name!="value", name=~"regex" or name!~"regex"`);
  const [, name, operator, raw] = match as unknown as [string, string, LabelMatcher['operator'], string];
  const value = unquote(raw);
  if (operator === '=~' || operator === '!~') {
    try {
      return { name, operator, value, regex: new RegExp(`^(?:${value})$`) };
    } catch (error) {
      throw new Error(`'${text}': the regex does not compile (${(error as Error).message})`);
    }
  }
  return { name, operator, value };
}

/** True when the labels satisfy the matcher; a missing label counts as the empty string, as in Alertmanager. */
export function matchesLabels(matcher: LabelMatcher, labels: Record<string, string>): boolean {
  const actual = labels[matcher.name] ?? '';
  switch (matcher.operator) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return matcher.regex!.test(actual);
    case '!~':
      return !matcher.regex!.test(actual);
  }
}
