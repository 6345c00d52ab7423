import { MAX_GRAPHS } from '../core/graph-spec.js';

/** What carries graph specs: a result, read from the store or just made (only these fields are read). */
export interface WithGraphs {
  graphs?: unknown;
  llm?: { deterministic?: { graphs?: unknown } | null } | null;
}

/**
 * The graph specs of a result, at most MAX_GRAPHS. An agent's result lists its own or those of
 * the deterministic investigation it started from.
 */
export function resultGraphs(result: WithGraphs): unknown[] {
  const own = Array.isArray(result.graphs) ? result.graphs : [];
  const inherited = result.llm?.deterministic?.graphs;
  return (own.length > 0 ? own : Array.isArray(inherited) ? inherited : []).slice(0, MAX_GRAPHS);
}
