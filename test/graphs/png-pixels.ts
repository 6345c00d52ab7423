import { PNG } from 'pngjs';
import type { GraphLayout } from '../../src/graphs/plan-layout.js';

export interface DecodedPng {
  width: number;
  height: number;
  /** `#rrggbb` of every opaque pixel, row by row. */
  colorAt(x: number, y: number): string;
}

const hex = (value: number) => value.toString(16).padStart(2, '0');

/** Decodes a PNG with pngjs (a decoder independent of the renderer). */
export function decodePng(buffer: Buffer): DecodedPng {
  const png = PNG.sync.read(buffer);
  return {
    width: png.width,
    height: png.height,
    colorAt(x, y) {
      const offset = (png.width * y + x) * 4;
      return `#${hex(png.data[offset]!)}${hex(png.data[offset + 1]!)}${hex(png.data[offset + 2]!)}`;
    },
  };
}

/** How many pixels of each colour a region holds. */
export function colorCounts(
  png: DecodedPng,
  region: { left: number; top: number; right: number; bottom: number } = {
    left: 0,
    top: 0,
    right: png.width,
    bottom: png.height,
  },
): Map<string, number> {
  const counts = new Map<string, number>();
  for (let y = region.top; y < region.bottom; y += 1)
    for (let x = region.left; x < region.right; x += 1) {
      const color = png.colorAt(x, y);
      counts.set(color, (counts.get(color) ?? 0) + 1);
    }
  return counts;
}

/** The plot area of a layout, in pixels. */
export function plotArea(layout: GraphLayout) {
  return {
    left: layout.grid.left,
    top: layout.grid.top,
    right: layout.width - layout.grid.right,
    bottom: layout.height - layout.grid.bottom,
  };
}

/**
 * The palette colours painted exactly (not blended) on at least `minimum` pixels: each shown
 * series paints its legend icon (about 100 pixels) and its line in its own colour.
 */
export function seriesColors(png: DecodedPng, palette: string[], minimum = 40): string[] {
  const counts = colorCounts(png);
  return palette.filter((color) => (counts.get(color) ?? 0) >= minimum);
}
