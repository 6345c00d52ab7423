import type { KubeObject } from '../../core/kube-object.js';
import { summarizeKubeObject } from '../summarize-kube-object.js';
import { str, type KubeVerb } from './kube-verb.js';

const MAX_DEPTH = 5;

function selectorOf(service: KubeObject): string {
  const selector = ((service.spec as Record<string, unknown> | undefined)?.selector ?? {}) as Record<string, string>;
  return Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/**
 * `owners`: walks ownerReferences up (Pod → ReplicaSet → Deployment) and, for a Service, down to
 * the pods its selector picks — the workload an alert is about, from whichever end it names.
 */
export const ownerChain: KubeVerb = async (params, { kube, now }) => {
  const kind = str(params.kind) ?? 'Pod';
  const namespace = str(params.namespace);
  const requests: string[] = [];
  const raw: string[] = [];
  const first = await kube.get(kind, String(params.name), namespace);
  requests.push(first.request);
  raw.push(first.raw);
  if (!first.object) return { status: 'no_data', text: `${kind} ${params.name} not found.`, data: null, requests, raw };
  const chain: KubeObject[] = [first.object];
  let current: KubeObject = first.object;
  for (let depth = 0; depth < MAX_DEPTH; depth += 1) {
    const owner =
      current.metadata.ownerReferences?.find((reference) => reference.controller) ??
      current.metadata.ownerReferences?.[0];
    if (!owner) break;
    const next = await kube.get(owner.kind, owner.name, current.metadata.namespace);
    requests.push(next.request);
    raw.push(next.raw);
    if (!next.object) break;
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
  if (pods.length > 0)
    lines.push(`selects ${pods.length} pods:`, ...pods.map((pod) => `  ${summarizeKubeObject(pod, now)}`));
  return { status: 'success', text: lines.join('\n'), data: { chain, pods }, requests, raw };
};
