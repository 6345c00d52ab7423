import { measureGraphText } from './graph-font.js';

export const FONT_SIZE = 12;
export const TITLE_SIZE = 15;
export const LEGEND_ICON = { width: 14, height: 8 };
const LEGEND_ICON_GAP = 5;
const LEGEND_ITEM_GAP = 12;
const LEGEND_ROW = 20;
const MARGIN = 16;
const AXIS_LABEL_GAP = 8;
const X_LABELS = 26;
const TOP = 62;

export interface GraphLayout {
  width: number;
  height: number;
  /** The plot area in pixels, exactly: markers and tests place themselves by it. */
  grid: { left: number; right: number; top: number; bottom: number };
  legend: { left: number; right: number; bottom: number; rows: number };
}

/** Rows the legend takes when its items wrap within `width`, as the chart lays them out. */
function legendRows(names: string[], width: number): number {
  let rows = names.length > 0 ? 1 : 0;
  let used = 0;
  for (const name of names) {
    const item = LEGEND_ICON.width + LEGEND_ICON_GAP + measureGraphText(name, FONT_SIZE);
    if (used > 0 && used + LEGEND_ITEM_GAP + item > width) {
      rows += 1;
      used = 0;
    }
    used += (used > 0 ? LEGEND_ITEM_GAP : 0) + item;
  }
  return rows;
}

/**
 * Places the plot: wide enough margins for the longest axis label each side, room above it for
 * the marker labels, and below it for the time labels and as many legend rows as the names need.
 */
export function planLayout(options: {
  width: number;
  height: number;
  legend: string[];
  leftLabels: string[];
  rightLabels: string[] | undefined;
}): GraphLayout {
  const widest = (labels: string[]) => Math.max(0, ...labels.map((label) => measureGraphText(label, FONT_SIZE)));
  const left = Math.ceil(MARGIN + widest(options.leftLabels) + AXIS_LABEL_GAP);
  const right = options.rightLabels ? Math.ceil(MARGIN + widest(options.rightLabels) + AXIS_LABEL_GAP) : MARGIN + 8;
  const rows = legendRows(options.legend, options.width - 2 * MARGIN);
  const legendBottom = 10;
  return {
    width: options.width,
    height: options.height,
    grid: { left, right, top: TOP, bottom: legendBottom + rows * LEGEND_ROW + X_LABELS },
    legend: { left: MARGIN, right: MARGIN, bottom: legendBottom, rows },
  };
}

export const LAYOUT = { MARGIN, LEGEND_ICON_GAP, LEGEND_ITEM_GAP, LEGEND_ROW };
