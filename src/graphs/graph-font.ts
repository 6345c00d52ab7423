import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import opentype from 'opentype.js';

/**
 * The font graphs are drawn with, shipped as a package: resvg draws text only with a font it
 * loads, and a fresh server may have none. DejaVu Sans covers most scripts a label value can hold.
 */
export const GRAPH_FONT_FAMILY = 'DejaVu Sans';

const require = createRequire(import.meta.url);
export const GRAPH_FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

interface Metrics {
  unitsPerEm: number;
  advance: (character: string) => number;
}

function loadMetrics(file: string): Metrics {
  const buffer = readFileSync(file);
  // lowMemory parses glyphs on demand: the first graph of a process does not pay for all 6,000.
  const font = opentype.parse(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength), {
    lowMemory: true,
  });
  const widths = new Map<string, number>();
  return {
    unitsPerEm: font.unitsPerEm,
    advance(character) {
      let width = widths.get(character);
      if (width === undefined) {
        width = font.charToGlyph(character).advanceWidth ?? font.unitsPerEm / 2;
        widths.set(character, width);
      }
      return width;
    },
  };
}

const loaded: Partial<Record<'regular' | 'bold', Metrics>> = {};

/**
 * Width in pixels of `text` set in the graph font: the chart lays out legends and labels with
 * it, so what it plans is what resvg draws. Per character, without kerning (a pixel or two).
 */
export function measureGraphText(text: string, size: number, bold = false): number {
  const weight = bold ? 'bold' : 'regular';
  const metrics = (loaded[weight] ??= loadMetrics(GRAPH_FONT_FILES[weight]));
  let units = 0;
  for (const character of text) units += metrics.advance(character);
  return (units * size) / metrics.unitsPerEm;
}
