import { z } from 'zod';

/**
 * Units a graph axis can carry. Values arrive in the unit named (`s` is seconds, `percent` is
 * 0–100 as DCGM reports utilisation, `ratio` is 0–1 as vLLM reports KV-cache usage); the
 * renderer chooses how to print them (`0.25 s` as `250 ms`, a ratio as a percentage).
 */
export const GRAPH_UNITS = [
  's',
  'ms',
  'percent',
  'ratio',
  'usd',
  'usd_per_hour',
  'tokens_per_second',
  'requests_per_second',
  'per_second',
  'bytes',
  'bytes_per_second',
  'celsius',
  'watts',
  'mhz',
  'count',
] as const;
export type GraphUnit = (typeof GRAPH_UNITS)[number];

/** Graphs a result lists for its top cause, most telling first. */
export const MAX_GRAPHS = 4;
/** Series a graph shows when its spec does not say; the rest are counted as "and N more". */
export const DEFAULT_MAX_SERIES = 6;
/** The most series any graph shows: beyond this the colours stop being told apart. */
const MAX_SERIES_LIMIT = 8;
// Prometheus refuses range queries of more than 11,000 points per series.
const MAX_POINTS = 11_000;

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const instant = z.iso.datetime({ offset: true });
const axis = z.enum(['left', 'right']);

const graphUnitSchema = z.enum(GRAPH_UNITS);

/** One PromQL query of a graph; it may return several series, each one line. */
export const graphSeriesSchema = z.strictObject({
  /** PromQL, run as a range query over the graph's range; label values in it are already escaped. */
  query: z.string().min(1).max(4000),
  /**
   * How each returned series is named: label names whose values name it (`['pod']`,
   * `['node', 'gpu']`), or a fixed text for a query that returns one series.
   */
  legend: z.union([
    z.array(z.string().regex(LABEL_NAME, 'a Prometheus label name')).min(1).max(4),
    z.string().min(1).max(80),
  ]),
  /** Absent is left. */
  axis: axis.optional(),
  /** What the series is to the cause: victims are drawn first, then suspects, then context. */
  role: z.enum(['victim', 'suspect', 'context']).optional(),
});

/**
 * What a check keeps to draw the time series behind its verdict: the queries, the range, the
 * moments that matter (the alert's start, the detected onset) and the threshold it compared to.
 */
export const graphSpecSchema = z
  .strictObject({
    title: z.string().min(1).max(120),
    /** Unit of the left axis. */
    unit: graphUnitSchema,
    /** Unit of the right axis; required when a series or the threshold uses it. */
    rightUnit: graphUnitSchema.optional(),
    start: instant,
    end: instant,
    stepSeconds: z.number().positive().max(86_400),
    alertStart: instant,
    onset: instant.optional(),
    threshold: z
      .strictObject({ value: z.number().finite(), label: z.string().min(1).max(60), axis: axis.optional() })
      .optional(),
    series: z.array(graphSeriesSchema).min(1).max(8),
    /** Series shown at most (default 6); the rest are counted in the legend as "and N more". */
    maxSeries: z.number().int().min(1).max(MAX_SERIES_LIMIT).optional(),
  })
  .superRefine((spec, context) => {
    const span = (Date.parse(spec.end) - Date.parse(spec.start)) / 1000;
    if (!(span > 0)) context.addIssue({ code: 'custom', path: ['end'], message: 'end must be after start' });
    else if (span / spec.stepSeconds > MAX_POINTS)
      context.addIssue({
        code: 'custom',
        path: ['stepSeconds'],
        message: `${Math.ceil(span / spec.stepSeconds)} points per series; Prometheus allows ${MAX_POINTS}: raise the step`,
      });
    if (spec.rightUnit) return;
    spec.series.forEach((series, index) => {
      if (series.axis === 'right')
        context.addIssue({ code: 'custom', path: ['series', index, 'axis'], message: 'right axis without rightUnit' });
    });
    if (spec.threshold?.axis === 'right')
      context.addIssue({ code: 'custom', path: ['threshold', 'axis'], message: 'right axis without rightUnit' });
  });

export type GraphSeriesSpec = z.infer<typeof graphSeriesSchema>;
export type GraphSpec = z.infer<typeof graphSpecSchema>;
