import { HolmesError } from '../core/errors.js';
import { renderWithSlots, slotAt, slotsIn } from './render-slots.js';
import { ListValue, RegexValue, asRegex } from './template-values.js';

/** Escapes a value for a PromQL string quoted with `quote`: `\`, the quote, and control characters. */
export function escapePromqlString(value: unknown, quote: '"' | "'" = '"'): string {
  return String(value).replace(/[\\"'\u0000-\u001f\u007f]/g, (character) => {
    if (character === '\\') return '\\\\';
    if (character === '"' || character === "'") return character === quote ? `\\${character}` : character;
    if (character === '\n') return '\\n';
    if (character === '\t') return '\\t';
    if (character === '\r') return '\\r';
    return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

// Outside a string a value can only be a number, a duration or label names (to group by: `a, b`).
const BARE_TOKEN =
  /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|(\d+(ms|s|m|h|d|w|y))+|[A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)$/;

type Place = { kind: 'bare' } | { kind: 'string'; quote: '"' | "'" | '`'; regex: boolean };

/** Where each slot of a rendered query stands: outside any string, or inside one (and whether it is a regex). */
function placesOf(text: string): Map<number, Place> {
  const places = new Map<number, Place>();
  let index = 0;
  while (index < text.length) {
    const character = text[index]!;
    if (character === '#') {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end;
      continue;
    }
    if (character === '"' || character === "'" || character === '`') {
      const operator = /(=~|!~|!=|=)\s*$/.exec(text.slice(Math.max(0, index - 8), index))?.[1];
      const regex = operator === '=~' || operator === '!~';
      let end = index + 1;
      while (end < text.length && text[end] !== character) end += character !== '`' && text[end] === '\\' ? 2 : 1;
      for (const slot of slotsIn(text.slice(index + 1, end)))
        places.set(slot, { kind: 'string', quote: character, regex });
      index = end + 1;
      continue;
    }
    const marker = slotAt(text, index);
    if (marker) {
      places.set(marker.slot, { kind: 'bare' });
      index += marker.length;
      continue;
    }
    index += 1;
  }
  return places;
}

function unsafe(what: string, value: unknown, fix: string): never {
  throw new HolmesError('TEMPLATE_UNSAFE', `${what}: ${JSON.stringify(String(value)).slice(0, 120)}.`, { fix });
}

function insert(value: unknown, place: Place | undefined): string {
  if (!place) unsafe('A value landed in a query comment', value, 'Move the value out of the comment.');
  if (place.kind === 'bare') {
    const text = String(value);
    if (value instanceof ListValue || value instanceof RegexValue || !BARE_TOKEN.test(text))
      unsafe(
        'A value outside a PromQL string must be a number, a duration or label names',
        value,
        'Quote it in the template (label="{{value}}") or pass a duration/number.',
      );
    return text;
  }
  if (!place.regex && (value instanceof RegexValue || (value instanceof ListValue && value.items.length !== 1)))
    unsafe('A list or regex landed in an exact matcher', value, 'Use =~ for a list or a regex.');
  const text = place.regex ? asRegex(value) : String(value instanceof ListValue ? value.items[0] : value);
  if (place.quote === '`') {
    // Raw strings have no escapes: a backtick inside cannot be written at all.
    if (text.includes('`')) unsafe('A value with a backtick landed in a raw string', value, 'Use a "…" string.');
    return text;
  }
  return escapePromqlString(text, place.quote);
}

/**
 * Renders a PromQL template so that no value can change what the query selects: each `{{name}}`
 * is escaped for where it lands — a string literal, a regex matcher (`=~`: literals are
 * regex-escaped, lists become alternatives, regexes stay regexes), or bare (numbers, durations and
 * names only). `{{{name}}}` inserts raw PromQL and is only for parameters typed `promql`.
 * Sections (`{{#name}}…{{/name}}`) work as in Mustache.
 */
export function renderPromql(template: string, view: Record<string, unknown>): string {
  return renderWithSlots(template, view, placesOf, insert);
}
