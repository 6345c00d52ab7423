import { regexEscape } from '../template-values.js';

/** Which pods are "ours": the alert's workload, in its namespace. */
export interface WorkloadScope {
  namespace: string;
  /** The workload's name (Deployment, StatefulSet, Job, Rollout…), when known. */
  workload?: string | undefined;
  /** Pods resolved from the alert; past pods of the workload are matched by name. */
  pods: string[];
}

/**
 * The names controllers give their pods: `<deployment>-<replicaset hash>-<5>`, `<statefulset>-<n>`,
 * `<job or daemonset>-<5>`, and the pods of operators that append an index or role
 * (`<pytorchjob>-worker-0`, `<leaderworkerset>-0-1`). Old pods of the workload (before a rollout
 * or a restart) match as well as the ones running now.
 */
export function workloadPodPattern(workload: string): string {
  const name = regexEscape(workload);
  return `${name}-(?:[a-z0-9]{6,10}-[a-z0-9]{5}|[a-z0-9]{5}|[0-9]+(?:-[0-9]+)?|(?:master|worker|launcher|leader|chief|ps|evaluator)-[0-9]+)`;
}

/** The regex (anchored like PromQL's) that matches our pods by name: the resolved ones and the workload's. */
export function ourPodsRegex(scope: WorkloadScope): string {
  const parts = scope.pods.map(regexEscape);
  if (scope.workload) parts.push(workloadPodPattern(scope.workload));
  return parts.length === 1 ? parts[0]! : `(?:${parts.join('|')})`;
}

/** Tells our pods from the rest of the namespace (and from other namespaces). */
export function createPodMatcher(
  scope: WorkloadScope,
): (namespace: string | undefined, pod: string | undefined) => boolean {
  const regex = new RegExp(`^${ourPodsRegex(scope)}$`);
  return (namespace, pod) =>
    Boolean(pod) && (namespace === undefined || namespace === scope.namespace) && regex.test(pod!);
}
