import { HolmesError } from '../../core/errors.js';

/**
 * Kubernetes label selectors (k8s.io/apimachinery/pkg/labels), parsed and matched the way the
 * API server does: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, `a>1`, `a<1`,
 * comma-joined. No package in the tree parses them, so this is a small recursive-descent parser.
 */
export type LabelOperator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | '>' | '<';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** Empty for `exists` and `!`; one value for `=`, `!=`, `>`, `<`. */
  values: string[];
}

type Token =
  | { type: 'identifier'; text: string }
  | { type: 'symbol'; text: '!' | '=' | '==' | '!=' | '(' | ')' | ',' | '>' | '<' }
  | { type: 'end'; text: '' };

const SYMBOLS = ['!=', '==', '!', '=', '(', ')', ',', '>', '<'] as const;
const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => text.startsWith(candidate, index));
    if (symbol) {
      tokens.push({ type: 'symbol', text: symbol });
      index += symbol.length;
      continue;
    }
    let end = index;
    while (
      end < text.length &&
      !/\s/.test(text[end] ?? '') &&
      !SYMBOLS.some((candidate) => text.startsWith(candidate, end))
    ) {
      end += 1;
    }
    tokens.push({ type: 'identifier', text: text.slice(index, end) });
    index = end;
  }
  tokens.push({ type: 'end', text: '' });
  return tokens;
}

function invalid(selector: string, detail: string): HolmesError {
  return new HolmesError(
    'TOOL_PARAMS_INVALID',
    `unable to parse requirement: ${detail} (label selector "${selector}")`,
    {
      fix: 'Write the label selector as comma-joined requirements: a=b, a!=b, a in (x,y), a notin (x,y), a, !a.',
    },
  );
}

function validateKey(selector: string, key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  const prefixValid = prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
  if (!prefixValid || !NAME.test(name)) {
    throw invalid(
      selector,
      `key "${key}" is not a valid label key (an optional DNS prefix and a name of at most 63 alphanumerics, '-', '_' or '.')`,
    );
  }
}

function validateValue(selector: string, value: string): void {
  if (value !== '' && !NAME.test(value)) {
    throw invalid(selector, `value "${value}" is not a valid label value (at most 63 alphanumerics, '-', '_' or '.')`);
  }
}

/** Parses a label selector; an empty string selects everything (no requirements). */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const tokens = tokenize(selector);
  let position = 0;
  const peek = (): Token => tokens[position] ?? { type: 'end', text: '' };
  const next = (): Token => {
    const token = peek();
    position += 1;
    return token;
  };
  const describe = (token: Token) => (token.type === 'end' ? 'end of string' : `'${token.text}'`);

  const readValue = (): string => {
    const token = peek();
    if (token.type === 'identifier') {
      next();
      validateValue(selector, token.text);
      return token.text;
    }
    // `a=` and `a in (x,)` mean the empty value, as in the API server.
    return '';
  };

  const readValueSet = (): string[] => {
    const open = next();
    if (open.text !== '(') throw invalid(selector, `found ${describe(open)}, expected: '('`);
    const values: string[] = [readValue()];
    for (;;) {
      const token = next();
      if (token.text === ')') return values;
      if (token.text !== ',') throw invalid(selector, `found ${describe(token)}, expected: ',' or ')'`);
      values.push(readValue());
    }
  };

  const readRequirement = (): LabelRequirement => {
    let negated = false;
    if (peek().text === '!') {
      next();
      negated = true;
    }
    const keyToken = next();
    if (keyToken.type !== 'identifier') throw invalid(selector, `found ${describe(keyToken)}, expected: identifier`);
    validateKey(selector, keyToken.text);
    const key = keyToken.text;
    const after = peek();
    if (negated) {
      if (after.type !== 'end' && after.text !== ',')
        throw invalid(selector, `found ${describe(after)}, expected: ',' or end of string`);
      return { key, operator: '!', values: [] };
    }
    if (after.type === 'end' || after.text === ',') return { key, operator: 'exists', values: [] };
    next();
    if (after.type === 'identifier' && (after.text === 'in' || after.text === 'notin')) {
      return { key, operator: after.text, values: readValueSet() };
    }
    if (after.text === '=' || after.text === '==') return { key, operator: '=', values: [readValue()] };
    if (after.text === '!=') return { key, operator: '!=', values: [readValue()] };
    if (after.text === '>' || after.text === '<') {
      const value = readValue();
      if (!/^-?\d+$/.test(value))
        throw invalid(selector, `for '${after.text}' operator, the value must be an integer, found "${value}"`);
      return { key, operator: after.text, values: [value] };
    }
    throw invalid(selector, `found ${describe(after)}, expected: in, notin, =, ==, !=, gt, lt`);
  };

  if (peek().type === 'end') return [];
  const requirements: LabelRequirement[] = [readRequirement()];
  for (;;) {
    const token = next();
    if (token.type === 'end') return requirements;
    if (token.text !== ',') throw invalid(selector, `found ${describe(token)}, expected: ','`);
    requirements.push(readRequirement());
  }
}

/** True when the labels satisfy every requirement (missing labels match only `!=`, `notin` and `!`). */
export function matchesLabelSelector(
  requirements: readonly LabelRequirement[],
  labels: Readonly<Record<string, string>> = {},
): boolean {
  return requirements.every(({ key, operator, values }) => {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const value = labels[key];
    switch (operator) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case '=':
      case 'in':
        return has && values.includes(value ?? '');
      case '!=':
      case 'notin':
        return !has || !values.includes(value ?? '');
      case '>':
      case '<': {
        if (!has || !/^-?\d+$/.test(value ?? '')) return false;
        const actual = Number(value);
        const bound = Number(values[0]);
        return operator === '>' ? actual > bound : actual < bound;
      }
    }
  });
}
