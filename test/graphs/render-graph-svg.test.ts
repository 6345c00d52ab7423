import { describe, expect, it } from 'vitest';
import { renderGraphSvg } from '../../src/graphs/render-graph-svg.js';
import { GRAPH_THEMES } from '../../src/graphs/graph-theme.js';
import { dataFor, lineFor, specFor } from './graph-fixtures.js';
import { lineOf, svgElements, textsOf, type SvgElement } from './svg-elements.js';

const light = GRAPH_THEMES.light;
const translate = (element: SvgElement) => {
  const match = /translate\((-?[\d.]+) (-?[\d.]+)\)/.exec(element.attributes.transform ?? '');
  return match ? { x: Number(match[1]), y: Number(match[2]) } : undefined;
};
const strokes = (elements: SvgElement[], color: string) =>
  elements.filter((element) => element.name === 'path' && element.attributes.stroke === color);
const legendIcons = (elements: SvgElement[]) =>
  elements.filter(
    (element) =>
      element.name === 'path' &&
      element.attributes.ecmeta_ssr_type === 'legend' &&
      Boolean(element.attributes.d) &&
      element.attributes.fill !== undefined &&
      element.attributes.fill !== 'none',
  );

const wave = (offset: number) => (index: number) => 0.5 + offset + Math.sin(index / 10) * 0.2;

describe('renderGraphSvg', () => {
  it('draws the time axis and the left axis with its unit, placed where the layout says', () => {
    const { svg, layout } = renderGraphSvg(dataFor([lineFor('chat-api-1', wave(0.5))]));
    const elements = svgElements(svg);
    const texts = textsOf(elements);
    expect(svg).toMatch(/^<svg width="800" height="400"/);
    expect(texts).toEqual(expect.arrayContaining(['11:15', '11:30', '11:45']));
    // Latencies under a second read in ms, above in s.
    expect(texts.some((text) => /^\d+ ms$/.test(text))).toBe(true);
    expect(texts.some((text) => /^\d+(\.\d+)? s$/.test(text))).toBe(true);
    const bottom = layout.height - layout.grid.bottom;
    const xAxis = elements
      .map(lineOf)
      .find((line) => line && line.y1 === line.y2 && Math.abs(line.y1 - bottom) <= 1 && line.x2 - line.x1 > 600);
    expect(xAxis).toBeDefined();
  });

  it('marks the onset (dashed) and the alert start (solid) at their times, labelled', () => {
    const data = dataFor([lineFor('chat-api-1', wave(0))]);
    const { svg, layout } = renderGraphSvg(data);
    const elements = svgElements(svg);
    const plotWidth = layout.width - layout.grid.left - layout.grid.right;
    const xOf = (iso: string) =>
      layout.grid.left +
      ((Date.parse(iso) - Date.parse(data.spec.start)) / (Date.parse(data.spec.end) - Date.parse(data.spec.start))) *
        plotWidth;
    const [onset] = strokes(elements, light.onset);
    const [alert] = strokes(elements, light.alert).filter((element) => lineOf(element)?.x1 === lineOf(element)?.x2);
    expect(onset?.attributes['stroke-dasharray']).toBeDefined();
    expect(alert?.attributes['stroke-dasharray']).toBeUndefined();
    const onsetLine = lineOf(onset!)!;
    const alertLine = lineOf(alert!)!;
    // The chart snaps lines to whole pixels.
    expect(Math.abs(onsetLine.x1 - xOf(data.spec.onset!))).toBeLessThanOrEqual(1);
    expect(Math.abs(alertLine.x1 - xOf(data.spec.alertStart))).toBeLessThanOrEqual(1);
    // Both span the plot from top to bottom.
    expect(Math.abs(Math.min(onsetLine.y1, onsetLine.y2) - layout.grid.top)).toBeLessThanOrEqual(1);
    expect(Math.abs(Math.max(alertLine.y1, alertLine.y2) - (layout.height - layout.grid.bottom))).toBeLessThanOrEqual(
      1,
    );
    expect(textsOf(elements)).toEqual(expect.arrayContaining(['onset 11:30', 'alert 11:46']));
  });

  it('stacks the onset label above the alert label when the two are close', async () => {
    const { svg } = renderGraphSvg(dataFor([lineFor('a', wave(0))], {}, { onset: '2025-03-10T11:44:00Z' }));
    const elements = svgElements(svg);
    const onsetLabel = translate(elements.find((element) => element.text === 'onset 11:44')!)!;
    const alertLabel = translate(elements.find((element) => element.text === 'alert 11:46')!)!;
    expect(alertLabel.y - onsetLabel.y).toBeGreaterThanOrEqual(12);
  });

  it('keeps a marker label near the right edge inside the picture by putting it left of its line', async () => {
    const { svg, layout } = renderGraphSvg(
      dataFor([lineFor('a', wave(0))], {}, { onset: undefined, alertStart: '2025-03-10T11:59:30Z' }),
    );
    const label = svgElements(svg).find((element) => element.text === 'alert 11:59')!;
    expect(label.attributes['text-anchor']).toBe('end');
    expect(translate(label)!.x).toBeLessThan(layout.width - layout.grid.right);
  });

  it('leaves out a marker outside the range instead of failing', () => {
    const { svg } = renderGraphSvg(
      dataFor([lineFor('a', wave(0))], {}, { onset: undefined, alertStart: '2025-03-10T13:00:00Z' }),
    );
    const texts = textsOf(svgElements(svg));
    expect(texts.some((text) => text.startsWith('alert') || text.startsWith('onset'))).toBe(false);
  });

  it('draws the threshold as a dashed horizontal line across the plot with its label and value', () => {
    const { svg, layout } = renderGraphSvg(
      dataFor([lineFor('a', wave(0))], {}, { threshold: { value: 2, label: 'SLO' } }),
    );
    const elements = svgElements(svg);
    const [threshold] = strokes(elements, light.threshold);
    const line = lineOf(threshold!)!;
    expect(threshold!.attributes['stroke-dasharray']).toBeDefined();
    expect(line.y1).toBe(line.y2);
    expect(Math.abs(line.x1 - layout.grid.left)).toBeLessThanOrEqual(1);
    expect(Math.abs(line.x2 - (layout.width - layout.grid.right))).toBeLessThanOrEqual(1);
    // The axis reaches the threshold even though the data stays below 1 s.
    expect(line.y1).toBeGreaterThanOrEqual(layout.grid.top);
    expect(line.y1).toBeLessThan(layout.height - layout.grid.bottom);
    expect(textsOf(elements)).toEqual(expect.arrayContaining(['SLO 2 s', '2 s']));
  });

  it('labels the legend by series name in palette order and ends it with "and N more"', () => {
    const lines = ['chat-api-6f8b9c7d54-2xkqp', 'chat-api-6f8b9c7d54-h7v9n', 'embed-batch-r4812-v7k2p'].map(
      (name, index) => lineFor(name, wave(index)),
    );
    const { svg, layout } = renderGraphSvg(dataFor(lines, { hidden: 3 }));
    const elements = svgElements(svg);
    const plotBottom = layout.height - layout.grid.bottom;
    const legendTexts = elements
      .filter((element) => element.name === 'text' && (translate(element)?.y ?? 0) > plotBottom + 20)
      .map((element) => element.text);
    expect(legendTexts).toEqual([...lines.map((line) => line.name), 'and 3 more']);
    expect(legendIcons(elements).map((element) => element.attributes.fill)).toEqual(light.palette.slice(0, 3));
  });

  it('wraps a long legend onto more rows and shrinks the plot to keep it inside the picture', () => {
    const many = Array.from({ length: 8 }, (_, index) =>
      lineFor(`inference-gateway-7d9f8c6b5-pod${index}`, wave(index / 10)),
    );
    const one = renderGraphSvg(dataFor(many.slice(0, 1)));
    const eight = renderGraphSvg(dataFor(many));
    expect(eight.layout.legend.rows).toBeGreaterThan(1);
    expect(eight.layout.grid.bottom).toBeGreaterThan(one.layout.grid.bottom);
    const texts = svgElements(eight.svg).filter(
      (element) => element.name === 'text' && element.text.startsWith('inference'),
    );
    for (const text of texts) expect(translate(text)!.y).toBeLessThan(400);
  });

  it('draws a second axis with its own unit for right-axis series', () => {
    const { svg, layout } = renderGraphSvg(
      dataFor(
        [lineFor('p99', wave(0)), lineFor('GPU util (right)', (index) => 40 + (index % 50), { axis: 'right' })],
        {},
        { rightUnit: 'percent' },
      ),
    );
    const texts = textsOf(svgElements(svg));
    expect(texts.some((text) => /^\d+%$/.test(text))).toBe(true);
    expect(layout.grid.right).toBeGreaterThan(30);
  });

  it('escapes label values so the SVG stays well-formed and says what the label said', () => {
    const hostile = `pod<script>&"'</script>`;
    const { svg } = renderGraphSvg(dataFor([lineFor(hostile, wave(0))], {}, { title: 'a < b & c' }));
    const elements = svgElements(svg);
    expect(elements.some((element) => element.name === 'script')).toBe(false);
    expect(textsOf(elements)).toEqual(expect.arrayContaining([hostile, 'a < b & c']));
  });

  it('says there is no data when the queries returned no series', () => {
    const { svg } = renderGraphSvg(dataFor([]));
    expect(textsOf(svgElements(svg))).toContain('No data: the queries returned no series in this range');
  });

  it('draws for a dark background with its own colours', () => {
    const { svg } = renderGraphSvg(dataFor([lineFor('a', wave(0))]), { theme: 'dark' });
    const elements = svgElements(svg);
    expect(
      elements.some((element) => element.name === 'rect' && element.attributes.fill === GRAPH_THEMES.dark.background),
    ).toBe(true);
    expect(legendIcons(elements)[0]?.attributes.fill).toBe(GRAPH_THEMES.dark.palette[0]);
  });

  it('uses the requested size', () => {
    const { svg } = renderGraphSvg(dataFor([lineFor('a', wave(0))]), { width: 1200, height: 500 });
    expect(svg).toMatch(/^<svg width="1200" height="500"/);
  });

  it('keeps the spec of a graph untouched', () => {
    const data = dataFor([lineFor('a', wave(0))]);
    const before = structuredClone(data);
    renderGraphSvg(data);
    expect(data).toEqual(before);
    expect(specFor().series).toHaveLength(1);
  });
});
