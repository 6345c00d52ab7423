import { graphSpecSchema, type GraphSeriesSpec, type GraphSpec, type GraphUnit } from '../../core/graph-spec.js';

/** The range a tool read its series over (the graph's), and the alert's start. */
export interface GraphWindow {
  startMs: number;
  endMs: number;
  stepSeconds: number;
  alertStartMs: number;
}

/** A step of 15 s multiples that keeps a range within 480 points, as the tools read their series. */
export function graphStep(startMs: number, endMs: number): number {
  return Math.max(30, Math.ceil((endMs - startMs) / 480 / 15_000) * 15);
}

/** The window alone, from an input that carries more. */
export function windowOf({ startMs, endMs, stepSeconds, alertStartMs }: GraphWindow): GraphWindow {
  return { startMs, endMs, stepSeconds, alertStartMs };
}

/** What a tool read, and what it compared it to. */
export interface ToolGraphInput extends GraphWindow {
  title: string;
  unit: GraphUnit;
  rightUnit?: GraphUnit | undefined;
  /** When the change began (RFC 3339 or ms): outside the range it is not marked. */
  onset?: string | number | null | undefined;
  threshold?: GraphSpec['threshold'] | undefined;
  /** PromQL already rendered: every label value in it went through renderPromql. */
  series: GraphSeriesSpec[];
  maxSeries?: number | undefined;
}

/**
 * How to draw the series behind a tool's answer, in the one shape every tool gives: times as RFC
 * 3339, the onset only where the graph can show it. A spec the schema refuses (a query past its
 * length when a workload has very many pods) gives no graph rather than a graph that fails later.
 */
export function toolGraph(input: ToolGraphInput): GraphSpec | undefined {
  const onsetMs = typeof input.onset === 'string' ? Date.parse(input.onset) : (input.onset ?? Number.NaN);
  const parsed = graphSpecSchema.safeParse({
    title: input.title.slice(0, 120),
    unit: input.unit,
    ...(input.rightUnit ? { rightUnit: input.rightUnit } : {}),
    start: new Date(input.startMs).toISOString(),
    end: new Date(input.endMs).toISOString(),
    stepSeconds: input.stepSeconds,
    alertStart: new Date(input.alertStartMs).toISOString(),
    ...(onsetMs >= input.startMs && onsetMs <= input.endMs ? { onset: new Date(onsetMs).toISOString() } : {}),
    ...(input.threshold ? { threshold: input.threshold } : {}),
    series: input.series,
    ...(input.maxSeries ? { maxSeries: input.maxSeries } : {}),
  });
  return parsed.success ? parsed.data : undefined;
}
