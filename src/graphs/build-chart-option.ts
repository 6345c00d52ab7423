import type { GraphUnit } from '../core/graph-spec.js';
import { estimateTicks } from './estimate-ticks.js';
import { formatUnitValue, startsAtZero } from './format-unit-value.js';
import type { GraphData, GraphLine, GraphPoint } from './graph-data.js';
import { GRAPH_FONT_FAMILY } from './graph-font.js';
import type { GraphTheme } from './graph-theme.js';
import { FONT_SIZE, LEGEND_ICON, LAYOUT, TITLE_SIZE, planLayout, type GraphLayout } from './plan-layout.js';

/** Names of the helper series that carry the markers; they have no legend entry. */
const MARKER_SERIES = '__markers__';
const THRESHOLD_SERIES = '__threshold__';
// About the width of "onset 13:04" at 12 px: closer than this, two marker labels would overlap.
const LABEL_WIDTH_PX = 84;
const LABEL_RAISE_PX = 15;

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** "and 3 more": the series the cap left out, as the legend's last entry. */
function moreLabel(hidden: number): string {
  return `and ${hidden} more`;
}

function valuesOn(lines: GraphLine[], axis: 'left' | 'right'): number[] {
  return lines
    .filter((line) => line.axis === axis)
    .flatMap((line) => line.points.map(([, value]) => value))
    .filter((value): value is number => value !== null);
}

function axisLabels(unit: GraphUnit, values: number[]): string[] {
  return estimateTicks(values, startsAtZero(unit)).map((tick) => formatUnitValue(unit, tick));
}

/** Points with no neighbour on either side draw no line: they get a dot so a lone sample still shows. */
function withLonePoints(points: GraphPoint[]) {
  return points.map((point, index) => {
    const alone =
      point[1] !== null && (points[index - 1]?.[1] ?? null) === null && (points[index + 1]?.[1] ?? null) === null;
    return alone ? { value: point, symbol: 'circle', symbolSize: 6 } : point;
  });
}

/** A round number a little beyond `value` in `direction`, so a threshold does not sit on the plot's edge. */
function roundAway(value: number, direction: 1 | -1): number {
  if (value === 0) return 0;
  const step = 10 ** Math.floor(Math.log10(Math.abs(value))) / 2;
  const beyond = value + direction * Math.abs(value) * 0.05;
  return (direction > 0 ? Math.ceil(beyond / step) : Math.floor(beyond / step)) * step;
}

function valueAxis(unit: GraphUnit, theme: GraphTheme, position: 'left' | 'right', threshold: number | undefined) {
  return {
    type: 'value',
    position,
    scale: !startsAtZero(unit),
    // The threshold is drawn even when the series stay far from it; otherwise the axis fits the data.
    ...(threshold !== undefined
      ? {
          max: (extent: { max: number }) =>
            Number.isFinite(extent.max) && extent.max >= threshold ? null : roundAway(threshold, 1),
          min: (extent: { min: number }) =>
            (Number.isFinite(extent.min) && extent.min <= threshold) || (startsAtZero(unit) && threshold >= 0)
              ? null
              : roundAway(threshold, -1),
        }
      : {}),
    axisLabel: {
      color: theme.muted,
      fontSize: FONT_SIZE,
      formatter: (value: number) => formatUnitValue(unit, value),
    },
    axisLine: { show: false },
    axisTick: { show: false },
    splitLine: { show: position === 'left', lineStyle: { color: theme.gridLine } },
  };
}

/** The marker lines: the alert's start and the detected onset, labelled with their time. */
function verticalMarkers(data: GraphData, layout: GraphLayout, theme: GraphTheme) {
  const { spec } = data;
  const start = Date.parse(spec.start);
  const end = Date.parse(spec.end);
  const plotWidth = layout.width - layout.grid.left - layout.grid.right;
  const xOf = (ms: number) => ((ms - start) / (end - start)) * plotWidth;
  const inRange = (ms: number) => ms >= start && ms <= end;
  const alert = Date.parse(spec.alertStart);
  const onset = spec.onset === undefined ? undefined : Date.parse(spec.onset);
  // Labels that would overlap are stacked: the onset's goes one line higher.
  const close =
    onset !== undefined && inRange(onset) && inRange(alert) && Math.abs(xOf(alert) - xOf(onset)) < LABEL_WIDTH_PX;
  const marker = (ms: number, text: string, color: string, type: 'solid' | 'dashed', raised: boolean) => {
    // Near an edge of the plot a centred label would be cut: it goes beside its line, inwards.
    const align = xOf(ms) < LABEL_WIDTH_PX / 2 ? 'left' : xOf(ms) > plotWidth - LABEL_WIDTH_PX / 2 ? 'right' : 'center';
    return {
      xAxis: ms,
      lineStyle: { color, type, width: 1.5 },
      label: {
        formatter: () => text,
        position: 'end',
        color,
        fontSize: FONT_SIZE,
        align,
        offset: [align === 'left' ? 4 : align === 'right' ? -4 : 0, raised ? -LABEL_RAISE_PX : 0],
      },
    };
  };
  const lines = [];
  if (onset !== undefined && inRange(onset))
    lines.push(marker(onset, `onset ${clock(onset)}`, theme.onset, 'dashed', close));
  if (inRange(alert)) lines.push(marker(alert, `alert ${clock(alert)}`, theme.alert, 'solid', false));
  return lines;
}

/**
 * The ECharts option of one graph: lines on their axes, units on the axes, the alert's start and
 * the onset as vertical markers, the threshold as a dashed line, the legend capped with "and N
 * more". Everything is placed by `planLayout`, so positions in the drawing are known exactly.
 */
export function buildChartOption(
  data: GraphData,
  options: { width: number; height: number; theme: GraphTheme },
): { option: Record<string, unknown>; layout: GraphLayout } {
  const { spec, lines } = data;
  const { theme } = options;
  const threshold = spec.threshold;
  const thresholdAxis = threshold?.axis ?? 'left';
  const usesRight =
    spec.rightUnit !== undefined && (lines.some((line) => line.axis === 'right') || thresholdAxis === 'right');
  const more = data.hidden > 0 ? moreLabel(data.hidden) : undefined;
  const legendNames = [...lines.map((line) => line.name), ...(more ? [more] : [])];
  const leftValues = [...valuesOn(lines, 'left'), ...(threshold && thresholdAxis === 'left' ? [threshold.value] : [])];
  const rightValues = [
    ...valuesOn(lines, 'right'),
    ...(threshold && thresholdAxis === 'right' ? [threshold.value] : []),
  ];
  const layout = planLayout({
    width: options.width,
    height: options.height,
    legend: legendNames,
    leftLabels: axisLabels(spec.unit, leftValues),
    rightLabels: usesRight && spec.rightUnit ? axisLabels(spec.rightUnit, rightValues) : undefined,
  });
  const start = Date.parse(spec.start);
  const end = Date.parse(spec.end);
  const textStyle = { fontFamily: GRAPH_FONT_FAMILY, fontSize: FONT_SIZE, color: theme.text };

  const series: Array<Record<string, unknown>> = lines.map((line, index) => ({
    type: 'line',
    name: line.name,
    yAxisIndex: line.axis === 'right' && usesRight ? 1 : 0,
    color: theme.palette[index % theme.palette.length],
    data: withLonePoints(line.points),
    showSymbol: true,
    symbol: 'none',
    connectNulls: false,
    lineStyle: { width: line.role === 'victim' ? 2.5 : 1.75 },
    emphasis: { disabled: true },
    z: lines.length - index + 2,
  }));
  series.push({
    type: 'line',
    name: MARKER_SERIES,
    data: [],
    markLine: { silent: true, symbol: 'none', data: verticalMarkers(data, layout, theme) },
  });
  if (threshold) {
    series.push({
      type: 'line',
      name: THRESHOLD_SERIES,
      yAxisIndex: thresholdAxis === 'right' && usesRight ? 1 : 0,
      data: [],
      markLine: {
        silent: true,
        symbol: 'none',
        data: [
          {
            yAxis: threshold.value,
            lineStyle: { color: theme.threshold, type: 'dashed', width: 1.5 },
            label: {
              // At the start: before the onset the plot is quiet, after it the lines and markers crowd the right.
              position: 'insideStartTop',
              color: theme.threshold,
              fontSize: FONT_SIZE,
              formatter: () =>
                `${threshold.label} ${formatUnitValue(thresholdAxis === 'right' && spec.rightUnit ? spec.rightUnit : spec.unit, threshold.value)}`,
            },
          },
        ],
      },
    });
  }
  if (more) series.push({ type: 'line', name: more, data: [], color: theme.muted });

  const yAxis: Array<Record<string, unknown>> = [
    valueAxis(spec.unit, theme, 'left', threshold && thresholdAxis === 'left' ? threshold.value : undefined),
  ];
  if (usesRight && spec.rightUnit)
    yAxis.push(
      valueAxis(spec.rightUnit, theme, 'right', threshold && thresholdAxis === 'right' ? threshold.value : undefined),
    );

  const option: Record<string, unknown> = {
    animation: false,
    useUTC: true,
    backgroundColor: theme.background,
    textStyle,
    title: [
      {
        text: spec.title,
        left: LAYOUT.MARGIN,
        top: 12,
        textStyle: {
          ...textStyle,
          fontSize: TITLE_SIZE,
          fontWeight: 'bold',
          width: options.width * 0.72,
          overflow: 'truncate',
        },
      },
      {
        text: `UTC · step ${spec.stepSeconds}s`,
        right: LAYOUT.MARGIN,
        top: 15,
        textStyle: { ...textStyle, color: theme.muted, fontWeight: 'normal' },
      },
    ],
    grid: { ...layout.grid, containLabel: false, outerBoundsMode: 'none' },
    legend: {
      data: legendNames.map((name) => (name === more ? { name, icon: 'none' } : { name })),
      left: layout.legend.left,
      right: layout.legend.right,
      bottom: layout.legend.bottom,
      icon: 'roundRect',
      itemWidth: LEGEND_ICON.width,
      itemHeight: LEGEND_ICON.height,
      itemGap: LAYOUT.LEGEND_ITEM_GAP,
      selectedMode: false,
      textStyle: { ...textStyle },
    },
    xAxis: {
      type: 'time',
      min: start,
      max: end,
      axisLabel: { color: theme.muted, fontSize: FONT_SIZE, hideOverlap: true },
      axisLine: { lineStyle: { color: theme.muted } },
      splitLine: { show: false },
    },
    yAxis,
    series,
    ...(lines.length === 0
      ? {
          graphic: {
            type: 'text',
            left: 'center',
            top: 'middle',
            style: {
              text: 'No data: the queries returned no series in this range',
              fill: theme.muted,
              ...textStyle,
              fontSize: 14,
            },
          },
        }
      : {}),
  };
  return { option, layout };
}
