import type { KubeObject } from '../../core/kube-object.js';

/**
 * A pod's place in a distributed workload, from the labels its controller sets: a Kubeflow
 * training job's replica (`master 0`, `worker 1`), a JobSet's replicated job, job index and
 * completion index (`workers 0, pod 2`), a LeaderWorkerSet's group and worker (`group 1 leader`,
 * `group 1 worker 1`). Undefined for a pod that is one of many identical replicas.
 */
export function podRole(pod: KubeObject): string | undefined {
  const labels = pod.metadata.labels ?? {};
  const replicaType = labels['training.kubeflow.org/replica-type'];
  if (replicaType) return `${replicaType} ${labels['training.kubeflow.org/replica-index'] ?? '0'}`;
  const replicatedJob = labels['jobset.sigs.k8s.io/replicatedjob-name'];
  if (replicatedJob) {
    const completion = labels['batch.kubernetes.io/job-completion-index'];
    return `${replicatedJob} ${labels['jobset.sigs.k8s.io/job-index'] ?? '0'}${completion !== undefined ? `, pod ${completion}` : ''}`;
  }
  const group = labels['leaderworkerset.sigs.k8s.io/group-index'];
  const worker = labels['leaderworkerset.sigs.k8s.io/worker-index'];
  if (group !== undefined && worker !== undefined)
    return worker === '0' ? `group ${group} leader` : `group ${group} worker ${worker}`;
  return undefined;
}
