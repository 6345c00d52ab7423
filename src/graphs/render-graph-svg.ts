import { LineChart } from 'echarts/charts';
import {
  GraphicComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { buildChartOption } from './build-chart-option.js';
import type { GraphData } from './graph-data.js';
import { measureGraphText } from './graph-font.js';
import { GRAPH_THEMES, type GraphThemeName } from './graph-theme.js';
import type { GraphLayout } from './plan-layout.js';

export interface RenderGraphOptions {
  /** Pixels; default 800 × 400, Slack's preview size. */
  width?: number;
  height?: number;
  theme?: GraphThemeName;
}

const GRAPH_SIZE = { width: 800, height: 400 };

let prepared = false;

// Only what a line graph needs, registered once; the chart measures text with the font resvg draws.
function prepare(): void {
  if (prepared) return;
  echarts.use([
    LineChart,
    GridComponent,
    LegendComponent,
    TitleComponent,
    MarkLineComponent,
    GraphicComponent,
    SVGRenderer,
  ]);
  echarts.setPlatformAPI({
    measureText: (text?: string, font?: string) => {
      const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
      return { width: measureGraphText(text ?? '', size, /\bbold\b|\b[6-9]00\b/.test(font ?? '')) };
    },
  });
  prepared = true;
}

/** Draws a graph's data as SVG, server-side (no browser, no DOM), with the plot placed as `layout` says. */
export function renderGraphSvg(
  data: GraphData,
  options: RenderGraphOptions = {},
): { svg: string; layout: GraphLayout } {
  prepare();
  const width = options.width ?? GRAPH_SIZE.width;
  const height = options.height ?? GRAPH_SIZE.height;
  const { option, layout } = buildChartOption(data, { width, height, theme: GRAPH_THEMES[options.theme ?? 'light'] });
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return { svg: chart.renderToSVGString(), layout };
  } finally {
    chart.dispose();
  }
}
