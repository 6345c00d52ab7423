import type { GraphSeriesSpec, GraphSpec } from '../core/graph-spec.js';

/** One point of a line: unix milliseconds and a value; `null` breaks the line (a gap, NaN or ±Inf). */
export type GraphPoint = [timeMs: number, value: number | null];

/** One line as drawn: named for a person, on its axis, with its points. */
export interface GraphLine {
  name: string;
  axis: 'left' | 'right';
  role?: GraphSeriesSpec['role'];
  points: GraphPoint[];
}

/** What a graph draws once its queries have answered: the lines shown and how many were left out. */
export interface GraphData {
  spec: GraphSpec;
  lines: GraphLine[];
  /** Series the queries returned beyond `maxSeries`: the legend says "and N more". */
  hidden: number;
  /** The range queries run, as sent. */
  requests: string[];
}
