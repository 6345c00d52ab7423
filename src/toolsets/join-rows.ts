import { formatLabels, varyingLabels } from './apply-label-aliases.js';
import { formatValue } from './format-value.js';
import type { ShapedSeries } from './shape-promql-result.js';
import type { OutputSpec } from './toolset-schema.js';

export interface JoinColumn {
  title: string;
  output: OutputSpec;
  /** Every series of the query, in its output order. */
  series: ShapedSeries[];
}

export interface JoinedRows {
  /** A header line naming the columns, then one line per row shown. */
  lines: string[];
  total: number;
  omitted: number;
}

/**
 * An instant tool's queries as one table: one line per distinct value of the `join` labels
 * (`namespace/pod`, `team`) with every query's value on it, instead of one section per query
 * that repeats each name — the same facts in a fraction of the tokens. Rows come in the order
 * the queries first list them (each query sorted by its own output order); `—` marks a query
 * with no series for that row.
 */
export function joinRows(columns: JoinColumn[], join: string[], limit: number): JoinedRows {
  const keyOf = (labels: Record<string, string>) => join.map((name) => labels[name] ?? '').join('/');
  const rows = new Map<string, { labels: Record<string, string>; cells: string[] }>();
  columns.forEach((column, index) => {
    for (const entry of column.series) {
      const key = keyOf(entry.labels);
      const row = rows.get(key) ?? { labels: {}, cells: columns.map(() => '—') };
      row.labels = { ...entry.labels, ...row.labels };
      // A key met twice in one query (extra labels differ) keeps the first, highest-ranked value.
      if (row.cells[index] === '—')
        row.cells[index] =
          `${formatValue(entry.value ?? Number.NaN, column.output.unit)}${entry.decoded ? ` (${entry.decoded})` : ''}`;
      rows.set(key, row);
    }
  });
  const all = [...rows.entries()];
  const shown = all.slice(0, limit);
  // Labels beside the join labels are printed where they tell rows apart (the node of a pod).
  const extra = varyingLabels(shown.map(([, row]) => row.labels)).filter((name) => !join.includes(name));
  const header = `${join.join('/')} (${all.length}): ${columns.map((column) => column.title).join(' | ')}`;
  const lines = shown.map(([key, row]) => {
    const labels = extra.length > 0 ? ` ${formatLabels(row.labels, extra)}` : '';
    return `  ${key.replace(/^\/+|\/+$/g, '') || '(none)'}${labels === ' {}' ? '' : labels}: ${row.cells.join(' | ')}`;
  });
  return { lines: [header, ...lines], total: all.length, omitted: all.length - shown.length };
}
