import { MAX_GRAPHS } from '../core/graph-spec.js';

/**
 * The graph specs of a result, at most MAX_GRAPHS. An agent's result lists its own or those of
 * the deterministic investigation it started from.
 */
export function resultGraphs(result: { graphs?: unknown; deterministic?: unknown }): unknown[] {
  const own = Array.isArray(result.graphs) ? result.graphs : [];
  const deterministic = result.deterministic as { graphs?: unknown } | null | undefined;
  const inherited = Array.isArray(deterministic?.graphs) ? deterministic.graphs : [];
  return (own.length > 0 ? own : inherited).slice(0, MAX_GRAPHS);
}
