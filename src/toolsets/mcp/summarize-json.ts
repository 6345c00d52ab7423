export interface SummarizeJsonOptions {
  /** Items kept of each array. */
  maxItems?: number;
  /** Characters kept of each string. */
  maxStringChars?: number;
  /** Nesting shown before a value is only counted. */
  maxDepth?: number;
}

export interface JsonSummary {
  /** One line per item of a top-level list, or per key of a top-level object. */
  text: string;
  droppedItems: number;
  droppedChars: number;
}

/**
 * A JSON document as compact lines for a model: long lists keep their first items and say how
 * many more there were, long strings are cut with a count, deep nesting is counted, not shown.
 */
export function summarizeJson(value: unknown, options: SummarizeJsonOptions = {}): JsonSummary {
  const maxItems = options.maxItems ?? 20;
  const maxStringChars = options.maxStringChars ?? 500;
  const maxDepth = options.maxDepth ?? 6;
  let droppedItems = 0;
  let droppedChars = 0;

  const prune = (node: unknown, depth: number): unknown => {
    if (typeof node === 'string') {
      if (node.length <= maxStringChars) return node;
      droppedChars += node.length - maxStringChars;
      return `${node.slice(0, maxStringChars)}… (${node.length - maxStringChars} more characters)`;
    }
    if (Array.isArray(node)) {
      if (depth >= maxDepth) return `[${node.length} items]`;
      const kept = node.slice(0, maxItems).map((item) => prune(item, depth + 1));
      if (node.length > maxItems) {
        droppedItems += node.length - maxItems;
        kept.push(`… ${node.length - maxItems} more items (${node.length} in all)`);
      }
      return kept;
    }
    if (node !== null && typeof node === 'object') {
      const entries = Object.entries(node);
      if (depth >= maxDepth) return `{${entries.length} keys}`;
      return Object.fromEntries(entries.map(([key, item]) => [key, prune(item, depth + 1)]));
    }
    return node;
  };

  const list = (items: unknown[], indent: string): string[] => {
    const lines = items.slice(0, maxItems).map((item) => `${indent}${JSON.stringify(prune(item, 1))}`);
    if (items.length > maxItems) {
      droppedItems += items.length - maxItems;
      lines.push(`${indent}… ${items.length - maxItems} more items (${items.length} in all)`);
    }
    return lines;
  };

  let lines: string[];
  if (Array.isArray(value)) lines = [`${value.length} items`, ...list(value, '')];
  else if (value !== null && typeof value === 'object')
    lines = Object.entries(value).flatMap(([key, item]) =>
      Array.isArray(item) && item.some((entry) => entry !== null && typeof entry === 'object')
        ? [`${key}: ${item.length} items`, ...list(item, '  ')]
        : [`${key}: ${JSON.stringify(prune(item, 1))}`],
    );
  else lines = [JSON.stringify(prune(value, 0))];
  return { text: lines.join('\n'), droppedItems, droppedChars };
}
