export interface TopKResult<T> {
  shown: T[];
  /** What was left out and how to see it; `count` 0 and an empty hint when nothing was. */
  omitted: { count: number; hint: string };
}

export interface TopKOptions {
  /** Plural noun for the hint, e.g. `series` or `pods`. Default `items`. */
  what?: string;
  /** How to see the rest. Default: narrow the query or raise the limit. */
  narrow?: string;
}

/** The `k` highest-scoring items (NaN scores last, ties keep input order), and a note on the rest. */
export function topK<T>(
  items: readonly T[],
  k: number,
  score: (item: T) => number,
  options: TopKOptions = {},
): TopKResult<T> {
  const keyed = items.map((item) => ({ item, key: score(item) }));
  keyed.sort(
    (left, right) =>
      (Number.isNaN(right.key) ? -Infinity : right.key) - (Number.isNaN(left.key) ? -Infinity : left.key) || 0,
  );
  const limit = Math.max(0, Math.floor(k));
  const shown = keyed.slice(0, limit).map(({ item }) => item);
  const count = items.length - shown.length;
  const hint =
    count > 0
      ? `${count} of ${items.length} ${options.what ?? 'items'} not shown (kept the top ${shown.length}); ${options.narrow ?? 'narrow the query or raise the limit to see them'}.`
      : '';
  return { shown, omitted: { count, hint } };
}
