import Mustache from 'mustache';

const SLOT = /\u0000(\d+)\u0000/g;

/** The slot marker at `index` of a marked text, if one starts there. */
export function slotAt(text: string, index: number): { slot: number; length: number } | undefined {
  if (text[index] !== '\u0000') return undefined;
  const match = /^\u0000(\d+)\u0000/.exec(text.slice(index, index + 24));
  return match ? { slot: Number(match[1]), length: match[0].length } : undefined;
}

/** Every slot marker in a stretch of marked text. */
export function slotsIn(text: string): number[] {
  return [...text.matchAll(SLOT)].map((match) => Number(match[1]));
}

/**
 * Renders a Mustache template in two passes so that escaping can depend on where a value lands:
 * first every `{{name}}` becomes a marker, then `placesOf` reads the marked text (quotes,
 * comments, operators) and `insert` escapes each value for its place. A value never passes
 * through the reader, so nothing in it can change how the template is read.
 */
export function renderWithSlots<Place>(
  template: string,
  view: Record<string, unknown>,
  placesOf: (marked: string) => Map<number, Place>,
  insert: (value: unknown, place: Place | undefined) => string,
): string {
  const slots: unknown[] = [];
  const marked = Mustache.render(template, view, undefined, {
    escape: (value: unknown) => {
      slots.push(value);
      return `\u0000${slots.length - 1}\u0000`;
    },
  });
  const places = placesOf(marked);
  return marked.replace(SLOT, (_, index: string) => insert(slots[Number(index)], places.get(Number(index))));
}
