import type { KubeObject } from '../../core/kube-object.js';
import { summarizeKubeObject } from '../summarize-kube-object.js';
import { kindOptions, str, type KubeVerb } from './kube-verb.js';

// A LeaderWorkerSet's worker pod is five owners deep: pod → StatefulSet → leader pod → StatefulSet → LWS.
const MAX_DEPTH = 6;

function selectorOf(service: KubeObject): string {
  const selector = ((service.spec as Record<string, unknown> | undefined)?.selector ?? {}) as Record<string, string>;
  return Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/**
 * `owners`: walks ownerReferences up through any kind (Pod → ReplicaSet → Deployment or Argo
 * Rollout; Pod → PyTorchJob; Pod → Job → JobSet; Pod → StatefulSet → … → LeaderWorkerSet), each
 * owner read at the apiVersion its reference names, and, for a Service, down to the pods its
 * selector picks. `workload` is the top of the chain: the object people know the pods by.
 */
export const ownerChain: KubeVerb = async (params, { kube, now }) => {
  const kind = str(params.kind) ?? 'Pod';
  const namespace = str(params.namespace);
  const requests: string[] = [];
  const raw: string[] = [];
  const first = await kube.get(kind, String(params.name), namespace, kindOptions(params));
  requests.push(first.request);
  raw.push(first.raw);
  if (!first.object) return { status: 'no_data', text: `${kind} ${params.name} not found.`, data: null, requests, raw };
  const chain: KubeObject[] = [first.object];
  let current: KubeObject = first.object;
  let missing: string | undefined;
  for (let depth = 0; depth < MAX_DEPTH; depth += 1) {
    const owner =
      current.metadata.ownerReferences?.find((reference) => reference.controller) ??
      current.metadata.ownerReferences?.[0];
    if (!owner) break;
    let next;
    try {
      next = await kube.get(owner.kind, owner.name, current.metadata.namespace, { apiVersion: owner.apiVersion });
    } catch (error) {
      // An owner whose kind the API no longer serves (a CRD removed) ends the chain; what was found stands.
      missing = `${owner.kind} ${owner.name} (${owner.apiVersion}): ${error instanceof Error ? error.message : String(error)}`;
      break;
    }
    requests.push(next.request);
    raw.push(next.raw);
    if (!next.object) {
      missing = `${owner.kind} ${owner.name} (${owner.apiVersion}) not found`;
      break;
    }
    chain.push(next.object);
    current = next.object;
  }
  let pods: KubeObject[] = [];
  if (first.object.kind === 'Service' && selectorOf(first.object)) {
    const list = await kube.list('Pod', {
      ...(namespace ? { namespace } : {}),
      labelSelector: selectorOf(first.object),
    });
    requests.push(list.request);
    raw.push(list.raw);
    pods = list.items;
  }
  const lines = chain.map(
    (object, index) => `${'  '.repeat(index)}${index > 0 ? '↑ ' : ''}${summarizeKubeObject(object, now)}`,
  );
  if (missing) lines.push(`owner not readable: ${missing}`);
  if (pods.length > 0)
    lines.push(`selects ${pods.length} pods:`, ...pods.map((pod) => `  ${summarizeKubeObject(pod, now)}`));
  const top = chain.at(-1) as KubeObject;
  const workload = {
    apiVersion: top.apiVersion,
    kind: top.kind,
    name: top.metadata.name,
    ...(top.metadata.namespace ? { namespace: top.metadata.namespace } : {}),
  };
  return { status: 'success', text: lines.join('\n'), data: { chain, pods, workload }, requests, raw };
};
