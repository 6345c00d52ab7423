/**
 * Reads Helm templates without Helm: a lexer for `{{ … }}` actions, a lint (balanced blocks,
 * known functions), "set aside" (every branch kept, directives removed or replaced by a
 * placeholder, so the YAML structure can be parsed) and a renderer for a small subset (if/else on
 * `.Values` paths, `.Values` lookups piped to quote or toJson) that refuses anything else.
 */

export const PLACEHOLDER = 'TEMPLATE';

interface Text {
  type: 'text';
  value: string;
}
interface Action {
  type: 'action';
  /** The inside, without delimiters and trim markers. */
  body: string;
  trimLeft: boolean;
  trimRight: boolean;
  line: number;
}
type Token = Text | Action;

/** Splits a template into text and actions; quoted strings inside actions may hold `}}`. */
export function lexTemplate(template: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < template.length) {
    const open = template.indexOf('{{', position);
    if (open === -1) {
      tokens.push({ type: 'text', value: template.slice(position) });
      break;
    }
    if (open > position) tokens.push({ type: 'text', value: template.slice(position, open) });
    const line = template.slice(0, open).split('\n').length;
    let cursor = open + 2;
    const trimLeft = /^- /.test(template.slice(cursor, cursor + 2));
    if (trimLeft) cursor += 1;
    let close = -1;
    if (template.startsWith('/*', cursor) || template.startsWith(' /*', cursor)) {
      const end = template.indexOf('*/', cursor);
      close = end === -1 ? -1 : template.indexOf('}}', end);
    } else {
      for (let index = cursor; index < template.length; index += 1) {
        const char = template[index];
        if (char === '"' || char === '`') {
          const quote = char;
          index += 1;
          while (index < template.length && template[index] !== quote) index += template[index] === '\\' ? 2 : 1;
        } else if (template.startsWith('}}', index)) {
          close = index;
          break;
        }
      }
    }
    if (close === -1) throw new Error(`line ${line}: '{{' is never closed`);
    const trimRight = template.slice(close - 2, close) === ' -';
    const body = template.slice(cursor, trimRight ? close - 2 : close).trim();
    tokens.push({ type: 'action', body, trimLeft, trimRight, line });
    position = close + 2;
  }
  return tokens;
}

const BLOCK_OPENERS = new Set(['if', 'with', 'range', 'define', 'block']);
const KEYWORDS = new Set([...BLOCK_OPENERS, 'else', 'end', 'template', 'nil', 'true', 'false']);
/** Go template builtins and the Helm/Sprig functions this chart uses. */
const FUNCTIONS = new Set([
  'and',
  'or',
  'not',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'len',
  'index',
  'print',
  'printf',
  'include',
  'tpl',
  'required',
  'fail',
  'toYaml',
  'fromYaml',
  'toJson',
  'nindent',
  'indent',
  'quote',
  'default',
  'trunc',
  'trimSuffix',
  'contains',
  'sha256sum',
  'list',
  'dict',
  'deepCopy',
  'mustMergeOverwrite',
  'ternary',
  'int',
]);

function isComment(action: Action): boolean {
  return action.body.startsWith('/*');
}

/** The words of an action that name functions (not fields, variables or strings). */
function functionNames(body: string): string[] {
  const withoutStrings = body.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '""');
  return [...withoutStrings.matchAll(/(^|[\s(|])([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[2]!);
}

/** Problems a `helm lint` would stop on: unbalanced blocks, `else` outside a block, unknown functions. */
export function lintTemplate(template: string): string[] {
  const problems: string[] = [];
  const stack: Array<{ keyword: string; line: number }> = [];
  let tokens: Token[];
  try {
    tokens = lexTemplate(template);
  } catch (error) {
    return [(error as Error).message];
  }
  for (const token of tokens) {
    if (token.type !== 'action' || isComment(token)) continue;
    const [keyword = ''] = token.body.split(/\s+/);
    if (BLOCK_OPENERS.has(keyword)) stack.push({ keyword, line: token.line });
    else if (keyword === 'else') {
      const top = stack.at(-1);
      if (!top || !['if', 'with', 'range'].includes(top.keyword))
        problems.push(`line ${token.line}: else outside if/with/range`);
    } else if (keyword === 'end') {
      if (!stack.pop()) problems.push(`line ${token.line}: end without a block to close`);
    }
    for (const name of functionNames(token.body)) {
      if (!KEYWORDS.has(name) && !FUNCTIONS.has(name)) problems.push(`line ${token.line}: unknown function '${name}'`);
    }
  }
  for (const open of stack) problems.push(`line ${open.line}: ${open.keyword} is never closed with end`);
  return problems;
}

/**
 * Sets template directives aside, keeping the YAML structure: lines holding only directives go,
 * other directives become the placeholder scalar. Every branch of an if/else is kept.
 */
export function setAside(template: string): string {
  return renderLines(template, undefined);
}

/** The body of `{{ define "name" }}` in a helpers file. */
export function defineBody(helpers: string, name: string): string {
  const tokens = lexTemplate(helpers);
  const start = tokens.findIndex((token) => token.type === 'action' && token.body === `define "${name}"`);
  if (start === -1) throw new Error(`no define "${name}"`);
  let depth = 0;
  const parts: string[] = [];
  for (const token of tokens.slice(start + 1)) {
    if (token.type === 'action' && !isComment(token)) {
      const [keyword = ''] = token.body.split(/\s+/);
      if (BLOCK_OPENERS.has(keyword)) depth += 1;
      if (keyword === 'end' && depth-- === 0) return parts.join('');
    }
    parts.push(
      token.type === 'text'
        ? token.value
        : `{{${token.trimLeft ? '- ' : ' '}${token.body}${token.trimRight ? ' -' : ' '}}}`,
    );
  }
  throw new Error(`define "${name}" is never closed`);
}

/** The block openers (`if …`, `with …`) around the first line containing `text`, outermost first. */
export function enclosingBlocks(template: string, text: string): string[] {
  const stack: string[] = [];
  for (const token of lexTemplate(template)) {
    if (token.type === 'text') {
      if (token.value.includes(text)) return [...stack];
      continue;
    }
    if (isComment(token)) continue;
    const [keyword = ''] = token.body.split(/\s+/);
    // An action that opens nothing (`fail "…"`, an output) is found like text.
    if (!KEYWORDS.has(keyword) && token.body.includes(text)) return [...stack];
    if (BLOCK_OPENERS.has(keyword)) stack.push(token.body);
    else if (keyword === 'else') stack.push(`${stack.pop()} (else)`);
    else if (keyword === 'end') stack.pop();
  }
  throw new Error(`no text of the template contains '${text}'`);
}

/** Renders the subset (see the file comment) with these values; anything else throws. */
export function renderSubset(template: string, values: Record<string, unknown>): string {
  return renderLines(template, values);
}

function lookup(values: Record<string, unknown>, path: string): unknown {
  if (!path.startsWith('.Values.')) throw new Error(`'${path}' is not a .Values path`);
  let current: unknown = values;
  for (const key of path.slice('.Values.'.length).split('.')) {
    current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}

/** Go templates' truth: false, 0, nil and empty strings, lists and maps are false. */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function condition(body: string, values: Record<string, unknown>): boolean {
  const words = body.split(/\s+/);
  const [operator, ...operands] = words;
  if (words.length === 1) return truthy(lookup(values, operator!));
  if (operator === 'not' && operands.length === 1) return !truthy(lookup(values, operands[0]!));
  if (operator === 'or') return operands.some((operand) => truthy(lookup(values, operand)));
  if (operator === 'and') return operands.every((operand) => truthy(lookup(values, operand)));
  throw new Error(`condition '${body}' is outside the subset`);
}

function output(body: string, values: Record<string, unknown>): string {
  const match = /^(\.Values\.[A-Za-z0-9_.]+)(?:\s*\|\s*(quote|toJson))?$/.exec(body);
  if (!match) throw new Error(`'{{ ${body} }}' is outside the subset`);
  const value = lookup(values, match[1]!);
  if (value === undefined) throw new Error(`values have no ${match[1]}`);
  if (match[2] === 'quote') return JSON.stringify(String(value));
  if (match[2] === 'toJson') return JSON.stringify(value);
  return String(value);
}

const SENTINEL = /\u0000(\d+)\u0001/g;

/** One pass for both modes: without values every branch is kept and outputs become placeholders. */
function renderLines(template: string, values: Record<string, unknown> | undefined): string {
  const tokens = lexTemplate(template);
  const actions: Action[] = [];
  const marked = tokens
    .map((token) => {
      if (token.type === 'text') return token.value;
      if (isComment(token)) return '';
      actions.push(token);
      return `\u0000${actions.length - 1}\u0001`;
    })
    .join('');
  const out: string[] = [];
  // Each open block: is its current branch rendered?
  const stack: Array<{ keyword: string; active: boolean; taken: boolean }> = [];
  const active = () => stack.every((block) => block.active);
  for (const line of marked.split('\n')) {
    const onlyDirectives = line.replace(SENTINEL, '').trim() === '' && line.includes('\u0000');
    if (onlyDirectives) {
      for (const [, index] of line.matchAll(SENTINEL)) {
        const action = actions[Number(index)]!;
        const [keyword = '', ...rest] = action.body.split(/\s+/);
        if (BLOCK_OPENERS.has(keyword)) {
          if (values && keyword !== 'if') throw new Error(`line ${action.line}: '${keyword}' is outside the subset`);
          const holds = values ? active() && condition(rest.join(' '), values) : true;
          stack.push({ keyword, active: holds, taken: holds });
        } else if (keyword === 'else') {
          const block = stack.at(-1);
          if (!block) throw new Error(`line ${action.line}: else outside a block`);
          if (values && rest.length > 0)
            throw new Error(`line ${action.line}: 'else ${rest.join(' ')}' is outside the subset`);
          block.active = values ? !block.taken && stack.slice(0, -1).every((outer) => outer.active) : true;
        } else if (keyword === 'end') {
          if (!stack.pop()) throw new Error(`line ${action.line}: end without a block`);
        }
        // Other whole-line directives (include … | nindent, toYaml …) are set aside.
      }
      continue;
    }
    if (!active()) continue;
    out.push(
      line.replace(SENTINEL, (_match, index: string) => {
        const action = actions[Number(index)]!;
        return values && action.body.startsWith('.Values.') ? output(action.body, values) : PLACEHOLDER;
      }),
    );
  }
  if (stack.length > 0) throw new Error(`${stack.length} block(s) never closed`);
  return out.join('\n');
}
