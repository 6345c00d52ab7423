import { isBlank, replaceTokens, variableTokens } from '../runbooks/render-plain-text.js';
import { renderWithSlots, slotAt } from '../toolsets/render-slots.js';
import { ListValue, NameValue, isKubeName, regexEscape } from '../toolsets/template-values.js';

type Place = 'bare' | "'" | '"' | '#';

// Characters that may stand in a shell word unquoted; anything else gets quoted.
const SAFE_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;
// Control and bidirectional-formatting characters: shown as escapes where a person reads them.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A POSIX shell word that is exactly `value`: bare when it is plain, else single-quoted. */
export function shellQuote(value: string): string {
  if (SAFE_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function visible(text: string): string {
  return text.replace(INVISIBLE, (character) => `\\u{${character.codePointAt(0)!.toString(16)}}`);
}

/** Where each slot of a rendered command stands: a bare word, inside '…' or "…", or in a # comment. */
function placesOf(text: string): Map<number, Place> {
  const places = new Map<number, Place>();
  let place: Place = 'bare';
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    const marker = slotAt(text, index);
    if (marker) {
      places.set(marker.slot, place);
      index += marker.length - 1;
    } else if (place === '#') {
      if (character === '\n') place = 'bare';
    } else if (place === 'bare') {
      if (character === '\\') index += 1;
      else if (character === "'" || character === '"') place = character;
      else if (character === '#' && (index === 0 || /\s/.test(text[index - 1]!))) place = '#';
    } else if (place === '"' && character === '\\') index += 1;
    else if (character === place) place = 'bare';
  }
  return places;
}

/** A name that is not a valid Kubernetes name is shown, not used: it cannot become a working argument. */
function checked(value: unknown): string {
  const text = String(value);
  return value instanceof NameValue && !isKubeName(text) ? `<invalid name: ${visible(text.slice(0, 120))}>` : text;
}

function insert(value: unknown, place: Place | undefined): string {
  if (place === 'bare' || place === undefined) {
    if (value instanceof ListValue) return value.items.map(shellQuote).join(' ');
    return shellQuote(checked(value));
  }
  // Inside quotes a list can only be a pattern (grep -E '…'): its alternatives, each matching only itself.
  const text = value instanceof ListValue ? value.items.map(regexEscape).join('|') : checked(value);
  // A comment ends at a newline: nothing in a value may end it early.
  if (place === '#') return visible(text);
  if (place === '"') return text.replace(/[\\"$`]/g, '\\$&');
  // Inside '…' nothing escapes: close the quote, add the value as its own quoted word, reopen.
  return text.includes("'") ? `'${shellQuote(text)}'` : text;
}

/**
 * Renders a remediation command so that every value is exactly one shell word where it stands:
 * quoted for a POSIX shell when bare, escaped inside "…", spliced safely inside '…', and unable to
 * end a # comment. A Kubernetes name that is not valid (from a hostile or broken alert label)
 * becomes `<invalid name: …>`, one quoted word that a shell passes along and kubectl refuses.
 */
export function renderShell(template: string, view: Record<string, unknown>): string {
  return renderWithSlots(template, view, placesOf, insert);
}

/**
 * A command template whose `{{name}}` has no value here gets `<name>` in its place, as runbooks
 * write what the reader fills in (`<serving-gpu-nodes>`): `kubectl set env <workload>` instead of
 * `kubectl set env /`, a command that would run on the wrong thing or nothing.
 */
export function markMissing(template: string, view: Record<string, unknown>): string {
  const missing = variableTokens(template, { viewOnly: true }).filter((token) =>
    isBlank(
      token[1].split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], view),
    ),
  );
  return replaceTokens(template, missing, (name) => `<${name}>`);
}
