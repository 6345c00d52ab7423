import type { KubeObject } from '../../core/kube-object.js';

/**
 * The namespace of an alert that named none (a node alert): that of its pods, leaving out node
 * agents (DaemonSet pods run on every node), and the one with most pods when they span several.
 */
export function namespaceOfPods(pods: readonly KubeObject[], notes: string[]): string | undefined {
  const agent = (pod: KubeObject) => pod.metadata.ownerReferences?.some((owner) => owner.kind === 'DaemonSet');
  const workloads = pods.filter((pod) => !agent(pod));
  const counts = new Map<string, number>();
  for (const { metadata } of workloads.length > 0 ? workloads : pods)
    if (metadata.namespace) counts.set(metadata.namespace, (counts.get(metadata.namespace) ?? 0) + 1);
  // A stable sort: on a tie, the namespace seen first.
  const [first, ...rest] = [...counts].sort((left, right) => right[1] - left[1]);
  if (first && rest.length > 0)
    notes.push(`pods in ${counts.size} namespaces: taking ${first[0]}, which has most of them (${first[1]})`);
  return first?.[0];
}
