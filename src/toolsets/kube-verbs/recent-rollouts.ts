import { parseDuration } from '../../core/duration.js';
import type { KubeObject } from '../../core/kube-object.js';
import { formatAge } from '../kube-age.js';
import { argoCanary, describeCanary, type ArgoCanary } from './argo-canary.js';
import { str, type KubeVerb } from './kube-verb.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function images(replicaSet: KubeObject): string {
  return (((replicaSet.spec as Json | undefined)?.template?.spec?.containers ?? []) as Json[])
    .map((container) => container.image)
    .join(',');
}

/**
 * `rollouts`: ReplicaSets created within a window, grouped by their owner (a Deployment or an
 * Argo Rollout), each with the image it replaced — the "what changed" question of every latency
 * incident. Given the alert's workload (or pods) and start, it also says which rollouts are ours
 * and how long before the alert each began.
 */
export const recentRollouts: KubeVerb = async (params, { kube, now }) => {
  const windowMs = parseDuration(str(params.within) ?? '6h');
  const result = await kube.list('ReplicaSet', str(params.namespace) ? { namespace: params.namespace } : {});
  const byOwner = new Map<string, KubeObject[]>();
  for (const replicaSet of result.items) {
    const owner = replicaSet.metadata.ownerReferences?.find((reference) => reference.controller !== false);
    const key = `${replicaSet.metadata.namespace}/${owner?.name ?? replicaSet.metadata.name}`;
    byOwner.set(key, [...(byOwner.get(key) ?? []), replicaSet]);
  }
  const rollouts: Array<{
    deployment: string;
    replicaSet: string;
    createdAt: string;
    image: string;
    previousImage: string | null;
    revision: string | null;
    /** What changed, in words: the image, or the pod template with the same image. */
    change: string;
  }> = [];
  for (const [deployment, sets] of byOwner) {
    const ordered = [...sets].sort(
      (a, b) => Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? ''),
    );
    ordered.forEach((replicaSet, index) => {
      const created = Date.parse(replicaSet.metadata.creationTimestamp ?? '');
      // The first ReplicaSet is a creation, not a rollout; a missing timestamp counts as old.
      if (index === 0 || !(now.getTime() - created <= windowMs)) return;
      const image = images(replicaSet);
      const previousImage = images(ordered[index - 1]!);
      rollouts.push({
        deployment,
        replicaSet: replicaSet.metadata.name,
        createdAt: replicaSet.metadata.creationTimestamp ?? '',
        image,
        previousImage,
        change: image === previousImage ? `pod template changed, same image ${image}` : `${previousImage} → ${image}`,
        revision:
          replicaSet.metadata.annotations?.['deployment.kubernetes.io/revision'] ??
          replicaSet.metadata.annotations?.['rollout.argoproj.io/revision'] ??
          null,
      });
    });
  }
  rollouts.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const workload = str(params.workload);
  const pods = Array.isArray(params.pods) ? (params.pods as string[]) : [];
  const alertStartMs = str(params.alert_start) ? Date.parse(str(params.alert_start)!) : now.getTime();
  // Ours: the workload's own rollouts, or a ReplicaSet whose pods the alert names.
  const isOurs = (rollout: (typeof rollouts)[number]) =>
    (workload !== undefined && rollout.deployment.endsWith(`/${workload}`)) ||
    pods.some((pod) => pod.startsWith(`${rollout.replicaSet}-`));
  const ours = rollouts.filter(isOurs).map((rollout) => ({
    ...rollout,
    minutesBeforeAlert: Math.round((alertStartMs - Date.parse(rollout.createdAt)) / 60_000),
  }));
  // The alert's workload as an Argo Rollout: which of its ReplicaSets is the canary, which the stable.
  const ourOwner = result.items
    .filter(
      (replicaSet) =>
        (workload !== undefined && replicaSet.metadata.ownerReferences?.some((owner) => owner.name === workload)) ||
        pods.some((pod) => pod.startsWith(`${replicaSet.metadata.name}-`)),
    )
    .flatMap((replicaSet) => replicaSet.metadata.ownerReferences ?? [])
    .find((owner) => owner.kind === 'Rollout' && owner.controller !== false);
  const requests = [result.request];
  const raw = [result.raw];
  let canary: ArgoCanary | null = null;
  let canaryError: string | null = null;
  if (ourOwner) {
    const namespace = result.items.find((item) =>
      item.metadata.ownerReferences?.some((owner) => owner.name === ourOwner.name),
    )?.metadata.namespace;
    try {
      const read = await kube.get('Rollout', ourOwner.name, namespace, { apiVersion: ourOwner.apiVersion });
      requests.push(read.request);
      raw.push(read.raw);
      const owned = result.items.filter((item) =>
        item.metadata.ownerReferences?.some((owner) => owner.kind === 'Rollout' && owner.name === ourOwner.name),
      );
      if (read.object) canary = argoCanary(read.object, owned, alertStartMs);
      else canaryError = `Rollout ${ourOwner.name} not found`;
    } catch (error) {
      // Without read access to argoproj.io the ReplicaSets still tell what rolled out; only the canary view is lost.
      canaryError = `Rollout ${ourOwner.name} not readable: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const text =
    rollouts.length === 0
      ? `No rollouts in the last ${str(params.within) ?? '6h'}.`
      : rollouts
          .map(
            (rollout) =>
              `${formatAge(rollout.createdAt, now)} ago ${rollout.deployment} → ${rollout.replicaSet}${rollout.revision ? ` (revision ${rollout.revision})` : ''}: ${rollout.previousImage ?? '?'} → ${rollout.image}`,
          )
          .join('\n');
  return {
    status: rollouts.length === 0 && !canary ? 'no_data' : 'success',
    text: [text, canary ? describeCanary(canary) : canaryError].filter(Boolean).join('\n'),
    data: {
      rollouts,
      ours,
      // A rollout in the hour before the alert (or in its first minutes) is the first suspect.
      oursBeforeAlert: ours.filter((rollout) => rollout.minutesBeforeAlert <= 60 && rollout.minutesBeforeAlert >= -5),
      canary,
      canaryError,
    },
    requests,
    raw,
  };
};
