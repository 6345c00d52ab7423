import type { GraphSeriesSpec } from '../core/graph-spec.js';

const ROLE_ORDER: Record<NonNullable<GraphSeriesSpec['role']> | 'none', number> = {
  victim: 0,
  suspect: 1,
  context: 2,
  none: 2,
};

export interface SeriesGroup<T> {
  role?: GraphSeriesSpec['role'];
  /** The series one query returned. */
  series: T[];
}

/** The highest value a series reached; series with no finite value rank last. */
export function peak(values: Array<number | null>): number {
  let highest = Number.NEGATIVE_INFINITY;
  for (const value of values) if (value !== null && Number.isFinite(value) && value > highest) highest = value;
  return highest;
}

/**
 * Chooses the series a graph shows when its queries returned more than `maxSeries`: victims
 * before suspects before context, each query's highest series first so that every query is seen
 * before any shows a second line, then the rest by height. Returns them in drawing order (which
 * gives the victim the first colour) and how many were left out.
 */
export function selectSeries<T>(
  groups: Array<SeriesGroup<T>>,
  maxSeries: number,
  valuesOf: (series: T) => Array<number | null>,
): { shown: T[]; hidden: number } {
  const ordered = groups
    .map((group, index) => ({ group, index }))
    .sort(
      (left, right) =>
        ROLE_ORDER[left.group.role ?? 'none'] - ROLE_ORDER[right.group.role ?? 'none'] || left.index - right.index,
    )
    .map(({ group }) =>
      group.series
        .map((series) => ({ series, height: peak(valuesOf(series)) }))
        .sort((left, right) => right.height - left.height)
        .map(({ series }) => series),
    );
  const picked = ordered.map(() => 0);
  let remaining = maxSeries;
  // Round one: each query's top series; then the rest, in the same order.
  for (const [position, list] of ordered.entries()) {
    if (remaining === 0) break;
    if (list.length > 0) {
      picked[position] = 1;
      remaining -= 1;
    }
  }
  for (const [position, list] of ordered.entries()) {
    const already = picked[position] ?? 0;
    const more = Math.min(remaining, list.length - already);
    picked[position] = already + more;
    remaining -= more;
  }
  const shown = ordered.flatMap((list, position) => list.slice(0, picked[position]));
  const total = ordered.reduce((sum, list) => sum + list.length, 0);
  return { shown, hidden: total - shown.length };
}
