import type { Toolbox } from '../toolsets/create-toolbox.js';
import { renderPromql } from '../toolsets/render-promql.js';
import { ListValue } from '../toolsets/template-values.js';

/** Namespaces of one team investigated at most: each costs a full triage. */
export const MAX_TEAM_NAMESPACES = 5;

/**
 * How much of a team's trouble each namespace can explain, from kube-state-metrics: the GPUs its
 * pods request (GPU cost and contention) and its container restarts over the last hour.
 */
const WEIGHTS = [
  'sum by (namespace) (kube_pod_container_resource_requests{resource="nvidia_com_gpu", namespace=~"{{namespaces}}"})',
  'sum by (namespace) (increase(kube_pod_container_status_restarts_total{namespace=~"{{namespaces}}"}[1h]))',
];

export interface RankedNamespaces {
  /** Investigated, heaviest first. */
  namespaces: string[];
  /** Past the cap: named in the report, not investigated. */
  left: string[];
}

/**
 * A team's namespaces, those with the most requested GPUs first, then the most restarts, then by
 * name; without the metrics the order is by name, so nothing is dropped for lack of data silently:
 * what is past the cap is listed.
 */
export async function rankTeamNamespaces(namespaces: string[], toolbox: Toolbox): Promise<RankedNamespaces> {
  const values = { namespaces: new ListValue(namespaces) };
  const weights = await Promise.all(
    WEIGHTS.map(async (template) => {
      const result = await toolbox.run('prometheus_instant_query', {
        query: renderPromql(template, values),
        top_k: 100,
      });
      const rows =
        result.status === 'success'
          ? ((result.data as { result?: Array<{ labels: Record<string, string>; value: number }> }).result ?? [])
          : [];
      return new Map(rows.map((row) => [row.labels.namespace ?? '', Number(row.value) || 0]));
    }),
  );
  const key = (namespace: string) => weights.map((weight) => weight.get(namespace) ?? 0);
  const ranked = [...namespaces].sort((left, right) => {
    const [a, b] = [key(left), key(right)];
    const index = a.findIndex((value, position) => value !== b[position]);
    return index >= 0 ? b[index]! - a[index]! : left.localeCompare(right);
  });
  return { namespaces: ranked.slice(0, MAX_TEAM_NAMESPACES), left: ranked.slice(MAX_TEAM_NAMESPACES) };
}
