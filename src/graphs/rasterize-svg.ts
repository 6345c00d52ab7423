import { renderAsync } from '@resvg/resvg-js';
import { GRAPH_FONT_FAMILY, GRAPH_FONT_FILES } from './graph-font.js';

/**
 * SVG to PNG with resvg, off the event loop (libuv's pool), with the shipped font only: system
 * fonts are neither needed nor trusted to exist.
 */
export async function rasterizeSvg(svg: string): Promise<Buffer> {
  const image = await renderAsync(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: [GRAPH_FONT_FILES.regular, GRAPH_FONT_FILES.bold],
      defaultFontFamily: GRAPH_FONT_FAMILY,
      sansSerifFamily: GRAPH_FONT_FAMILY,
    },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: 'off',
  });
  return image.asPng();
}
