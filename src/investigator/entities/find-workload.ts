import type { KubeObject } from '../../core/kube-object.js';
import { ok, type EntityState } from './entity-state.js';

// Pods of a handful of owners may still be one workload (a LeaderWorkerSet's leader and worker
// StatefulSets, a JobSet's Jobs); past this many, a namespace-wide listing is not one workload.
const MAX_OWNERS = 4;
// Owners followed up when gathering the rest of a custom workload's pods.
const MAX_CANDIDATE_OWNERS = 8;

// Kinds whose own selector already picks all their pods.
const SELECTOR_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet']);

// The pod-template-hash labels of ReplicaSets: a Deployment's, and an Argo Rollout's.
const HASH_LABELS = ['pod-template-hash', 'rollouts-pod-template-hash'];

/** A pod's controlling owner, with a ReplicaSet taken as its owner's name (its own less the template hash). */
function directOwner(pod: KubeObject): string {
  const owner =
    pod.metadata.ownerReferences?.find((reference) => reference.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return `Pod/${pod.metadata.name}`;
  const hash = HASH_LABELS.map((label) => pod.metadata.labels?.[label]).find(Boolean);
  const name = owner.kind === 'ReplicaSet' && hash ? owner.name.replace(new RegExp(`-${hash}$`), '') : owner.name;
  return `${owner.kind}/${name}`;
}

/** One pod per controlling owner, in the order first seen. */
function onePodPerOwner(pods: readonly KubeObject[]): Map<string, KubeObject> {
  const byOwner = new Map<string, KubeObject>();
  for (const pod of pods) if (!byOwner.has(directOwner(pod))) byOwner.set(directOwner(pod), pod);
  return byOwner;
}

/** The top of a pod's owner chain (`Kind/name`), or undefined when the chain cannot be read. */
async function topOwner(state: EntityState, pod: KubeObject): Promise<KubeObject | undefined> {
  const chain = await state.toolbox.run('owner_chain', {
    kind: 'Pod',
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? '',
  });
  return ok(chain) ? ((chain.data as { chain: KubeObject[] }).chain.at(-1) as KubeObject | undefined) : undefined;
}

const key = (object: KubeObject) => `${object.kind}/${object.metadata.name}`;

/**
 * The workload: the one the alert named or its finders learnt, else the top of the pods' owner
 * chains when they all lead to one object — through any kind, so the pods of an Argo Rollout's
 * stable and canary ReplicaSets, or of a LeaderWorkerSet's leader and worker StatefulSets, are one
 * workload.
 */
export async function findWorkload(state: EntityState): Promise<void> {
  const { entities } = state;
  if (state.workload) {
    entities.workload = state.workload;
    return;
  }
  if (state.pods.length === 0) return;
  const owners = onePodPerOwner(state.pods);
  if (owners.size > MAX_OWNERS) {
    entities.notes.push(`pods of ${owners.size} workloads: no single workload`);
    return;
  }
  const tops = new Map<string, KubeObject>();
  for (const pod of owners.values()) {
    const top = await topOwner(state, pod);
    if (top) tops.set(key(top), top);
  }
  if (tops.size > 1) {
    entities.notes.push(`pods of ${tops.size} workloads: no single workload`);
    return;
  }
  const [top] = tops.values();
  if (top && top.kind !== 'Pod') entities.workload = { kind: top.kind, name: top.metadata.name };
}

/**
 * The rest of a custom workload's pods: a Service often selects a LeaderWorkerSet's leaders only,
 * and a training job's pods may sit under several Jobs. Pods of the namespace that carry the
 * workload's name (in a label value or as a name prefix) and whose owner chain ends at the
 * workload join the alert's pods.
 */
export async function findWorkloadPods(state: EntityState): Promise<void> {
  const { entities } = state;
  const { workload, namespace } = entities;
  if (!workload || !namespace || SELECTOR_KINDS.has(workload.kind) || state.pods.length === 0) return;
  const all = await state.toolbox.run('kubernetes_list', { kind: 'Pod', namespace, top_k: 200 });
  if (!ok(all)) return;
  const known = new Set(state.pods.map((pod) => pod.metadata.name));
  const candidates = (all.data as KubeObject[]).filter(
    (pod) =>
      !known.has(pod.metadata.name) &&
      (pod.metadata.name.startsWith(`${workload.name}-`) ||
        Object.values(pod.metadata.labels ?? {}).includes(workload.name)),
  );
  const owners = onePodPerOwner(candidates);
  if (owners.size === 0 || owners.size > MAX_CANDIDATE_OWNERS) return;
  const ours = new Set<string>();
  for (const [owner, pod] of owners) {
    const top = await topOwner(state, pod);
    if (top && top.kind === workload.kind && top.metadata.name === workload.name) ours.add(owner);
  }
  const added = candidates.filter((pod) => ours.has(directOwner(pod)));
  if (added.length === 0) return;
  state.pods.push(...added);
  entities.notes.push(`${added.length} more pods of ${workload.kind} ${workload.name} through their owners`);
}
