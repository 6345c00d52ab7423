import { parser } from '@prometheus-io/lezer-promql';
import type { GraphUnit } from '../../core/graph-spec.js';
import { queryMetrics } from './query-metrics.js';

/** What the alert's own rule measures: its expression without the comparison that made it fire. */
export interface AlertSignal {
  query: string;
  unit: GraphUnit;
  /** The rule's threshold, when it compares its signal to a number. */
  threshold?: { value: number; label: string };
}

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

// Longer expressions are not a symptom worth drawing, and the text comes from the alert (untrusted).
const MAX_EXPRESSION = 2000;
const COMPARISONS: Record<string, string> = { Gtr: '>', Lss: '<', Gte: '>=', Lte: '<=', Eql: '==', Neq: '!=' };
const FLIPPED: Record<string, string> = { '>': '<', '<': '>', '>=': '<=', '<=': '>=', '==': '==', '!=': '!=' };
const SET_OPERATORS = new Set(['And', 'Or', 'Unless']);

/** The rule expression of an alert's generatorURL (Prometheus puts it in `g0.expr`), if any. */
export function alertExpression(generatorURL: string | undefined): string | undefined {
  if (!generatorURL) return undefined;
  let url: URL;
  try {
    url = new URL(generatorURL);
  } catch {
    return undefined;
  }
  const expression = url.searchParams.get('g0.expr')?.trim();
  return expression && expression.length <= MAX_EXPRESSION ? expression : undefined;
}

function children(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) list.push(child);
  return list;
}

function operatorOf(node: SyntaxNode): string | undefined {
  return children(node).find((child) => child.name in COMPARISONS || SET_OPERATORS.has(child.name))?.name;
}

/** One metric divided by itself, as errors over requests: a ratio, whatever the metric counts. */
function dividesOneMetric(query: string): boolean {
  let node = parser.parse(query).topNode.firstChild;
  while (node?.name === 'ParenExpr') node = node.firstChild;
  if (node?.name !== 'BinaryExpr' || !children(node).some((child) => child.name === 'Div')) return false;
  const parts = children(node);
  const [left, right] = [parts[0]!, parts.at(-1)!].map((part) => queryMetrics(query.slice(part.from, part.to)));
  return left!.length === 1 && right!.length === 1 && left![0] === right![0];
}

/**
 * The unit a signal is drawn in, from the metric names it reads (Prometheus naming: `_seconds`,
 * `_bytes`, `_ratio`; DCGM's own names) and whether it is a rate. Unknown is a plain count.
 */
export function signalUnit(query: string): GraphUnit {
  const metrics = queryMetrics(query);
  const rated = /\b(?:i?rate|increase)\s*\(/.test(query);
  const all = (pattern: RegExp) => metrics.length > 0 && metrics.every((name) => pattern.test(name));
  // Money: LiteLLM's spend counter and OpenCost's hourly prices, in USD.
  if (metrics.some((name) => /spend|_cost$|hourly_cost/.test(name))) {
    const accumulated = /\b(increase|sum_over_time)\s*\(/.test(query);
    if (/\*\s*3600\b/.test(query) || (/hourly/.test(query) && !accumulated)) return 'usd_per_hour';
    if (accumulated || !rated) return 'usd';
  }
  if (all(/DCGM_FI_DEV_GPU_UTIL|DCGM_FI_DEV_MEM_COPY_UTIL/)) return 'percent';
  if (all(/DCGM_FI_PROF_.*_ACTIVE$/)) return 'ratio';
  if (all(/DCGM_FI_DEV_(GPU|MEMORY)_TEMP/)) return 'celsius';
  if (all(/DCGM_FI_DEV_POWER_USAGE/)) return 'watts';
  if (all(/DCGM_FI_DEV_(SM|MEM)_CLOCK/)) return 'mhz';
  if (all(/_seconds(_bucket|_sum|_count|_total)?$/) && !(rated && all(/_seconds_total$/))) return 's';
  if (all(/_bytes(_total)?$/)) return rated ? 'bytes_per_second' : 'bytes';
  if (all(/(_ratio|_perc|_percentage)$/)) return 'ratio';
  if (dividesOneMetric(query)) return 'ratio';
  if (rated) return 'per_second';
  return 'count';
}

/**
 * The alert's symptom as a series to draw: its rule expression (see alertExpression) with the final
 * comparison against a number taken off, that number kept as the threshold. A set operation
 * (`and`, `unless`, `or`) keeps its first operand, where rules put the symptom. An expression that
 * does not parse gives nothing: the alert is untrusted input, and a graph is never worth a guess.
 */
export function alertSignal(expression: string | undefined): AlertSignal | undefined {
  if (!expression || expression.length > MAX_EXPRESSION) return undefined;
  const tree = parser.parse(expression);
  let broken = false;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) broken = true;
    },
  });
  let node = tree.topNode.firstChild;
  if (broken || !node) return undefined;
  while (node.name === 'BinaryExpr' && SET_OPERATORS.has(operatorOf(node) ?? '')) node = node.firstChild!;
  const text = (part: SyntaxNode) => expression.slice(part.from, part.to);
  const compared = node.name === 'BinaryExpr' ? COMPARISONS[operatorOf(node) ?? ''] : undefined;
  if (compared) {
    const parts = children(node);
    const [left, right] = [parts[0]!, parts.at(-1)!];
    const number = (part: SyntaxNode) => (part.name === 'NumberDurationLiteral' ? Number(text(part)) : Number.NaN);
    const side = Number.isFinite(number(right))
      ? { query: text(left), value: number(right), operator: compared }
      : Number.isFinite(number(left))
        ? { query: text(right), value: number(left), operator: FLIPPED[compared]! }
        : undefined;
    if (side)
      return {
        query: side.query,
        unit: signalUnit(side.query),
        threshold: { value: side.value, label: `alert fires ${side.operator}` },
      };
    return { query: text(left), unit: signalUnit(text(left)) };
  }
  return { query: text(node), unit: signalUnit(text(node)) };
}
