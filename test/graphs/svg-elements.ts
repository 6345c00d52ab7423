import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One SVG element as parsed: its name, attributes, and text content. */
export interface SvgElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  trimValues: false,
  // Numeric character references (`&#39;`) too, as an SVG renderer reads them.
  htmlEntities: true,
});

function walk(nodes: unknown[], into: SvgElement[]): void {
  for (const node of nodes as Array<Record<string, unknown>>) {
    const name = Object.keys(node).find((key) => key !== ':@');
    if (!name || name === '#text') continue;
    const children = (node[name] as unknown[]) ?? [];
    const text = children
      .map((child) => (child as Record<string, unknown>)['#text'])
      .filter((value) => value !== undefined)
      .join('');
    into.push({ name, attributes: (node[':@'] as Record<string, string>) ?? {}, text: String(text) });
    walk(children, into);
  }
}

/** Every element of an SVG document, in document order; throws when the SVG is not well-formed XML. */
export function svgElements(svg: string): SvgElement[] {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(`SVG is not well-formed: ${valid.err.msg} (line ${valid.err.line})`);
  const elements: SvgElement[] = [];
  walk(parser.parse(svg) as unknown[], elements);
  return elements;
}

/** The texts the SVG draws. */
export const textsOf = (elements: SvgElement[]) =>
  elements.filter((element) => element.name === 'text').map((element) => element.text);

/** A straight line `M x1 y1 L x2 y2` of a path, or undefined. */
export function lineOf(element: SvgElement): { x1: number; y1: number; x2: number; y2: number } | undefined {
  const match = /^M(-?[\d.]+) (-?[\d.]+)L(-?[\d.]+) (-?[\d.]+)$/.exec(element.attributes.d ?? '');
  if (!match) return undefined;
  const [x1, y1, x2, y2] = match.slice(1).map(Number) as [number, number, number, number];
  return { x1, y1, x2, y2 };
}
