import { HolmesError } from '../../core/errors.js';

/**
 * Kubernetes field selectors (k8s.io/apimachinery/pkg/fields): comma-joined `field=value`,
 * `field==value` or `field!=value`, with `\,`, `\=` and `\\` escapes. Which fields exist is the
 * caller's business (each kind supports its own set); this file only parses and compares.
 */
export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

// Order matters: at each position the longest operator wins, as in splitTerm upstream.
const OPERATORS = ['!=', '==', '='] as const;

function invalid(selector: string, detail: string): HolmesError {
  return new HolmesError('TOOL_PARAMS_INVALID', `invalid field selector "${selector}": ${detail}`, {
    fix: 'Write the field selector as comma-joined field=value, field==value or field!=value terms.',
  });
}

/** Splits on commas that are not escaped with a backslash. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let index = 0; index < selector.length; index += 1) {
    const char = selector[index];
    if (char === '\\') index += 1;
    else if (char === ',') {
      terms.push(selector.slice(start, index));
      start = index + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

function unescape(selector: string, value: string): string {
  let result = '';
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index] ?? '';
    if (char !== '\\') {
      if (char === '=' || char === ',') throw invalid(selector, `unescaped '${char}' in value "${value}"`);
      result += char;
      continue;
    }
    const escaped = value[index + 1];
    if (escaped !== '\\' && escaped !== ',' && escaped !== '=') {
      throw invalid(selector, `invalid escape sequence in value "${value}" (only \\\\, \\, and \\= are allowed)`);
    }
    result += escaped;
    index += 1;
  }
  return result;
}

/** Parses a field selector; an empty string selects everything (no requirements). */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  if (selector.trim() === '') return [];
  return splitTerms(selector).map((term) => {
    for (let index = 0; index < term.length; index += 1) {
      const operator = OPERATORS.find((candidate) => term.startsWith(candidate, index));
      if (!operator) continue;
      const field = term.slice(0, index).trim();
      if (field === '') throw invalid(selector, `term '${term}' has no field name`);
      return {
        field,
        operator: operator === '!=' ? '!=' : '=',
        value: unescape(selector, term.slice(index + operator.length)),
      };
    }
    throw invalid(selector, `can't understand '${term}'`);
  });
}

/**
 * True when every requirement holds. `valueOf` returns a field's value as a string ('' when the
 * object has none, as the API server does).
 */
export function matchesFieldSelector(
  requirements: readonly FieldRequirement[],
  valueOf: (field: string) => string,
): boolean {
  return requirements.every(({ field, operator, value }) => (valueOf(field) === value) === (operator === '='));
}
