import type { KubeObject } from '../../core/kube-object.js';
import type { KubeClient } from '../../telemetry/kube-types.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** How a node shares its GPUs, from GPU feature discovery's labels and the device plugin's counts. */
export interface GpuNode {
  node: string;
  /** `nvidia.com/gpu.sharing-strategy` (time-slicing, mps, none), or null when unlabelled. */
  sharing: string | null;
  /** `nvidia.com/gpu.replicas`: pods one physical GPU is handed to. */
  replicas: number | null;
  /** Physical GPUs (`nvidia.com/gpu.count`), or null when GPU feature discovery does not run. */
  physical: number | null;
  capacity: number | null;
  allocatable: number | null;
  /** Allocatable above the physical count, or a sharing strategy: one GPU serves several pods. */
  timeSliced: boolean;
}

/** A running pod that requests GPUs on a node. */
export interface GpuPod {
  namespace: string;
  pod: string;
  node: string;
  gpus: number;
  startedMs: number | null;
}

const count = (value: unknown): number | null => {
  const number = Number(value);
  return value === undefined || value === null || value === '' || !Number.isFinite(number) ? null : number;
};

export function gpuNodeOf(object: KubeObject): GpuNode {
  const labels = object.metadata.labels ?? {};
  const status = (object.status ?? {}) as Json;
  const sharing = labels['nvidia.com/gpu.sharing-strategy'] ?? null;
  const physical = count(labels['nvidia.com/gpu.count']);
  const replicas = count(labels['nvidia.com/gpu.replicas']);
  const allocatable = count(status.allocatable?.['nvidia.com/gpu']);
  return {
    node: object.metadata.name,
    sharing,
    replicas,
    physical,
    capacity: count(status.capacity?.['nvidia.com/gpu']),
    allocatable,
    timeSliced:
      (sharing !== null && sharing !== 'none') ||
      (replicas !== null && replicas > 1) ||
      (physical !== null && allocatable !== null && allocatable > physical),
  };
}

function requested(pod: Json): number {
  const containers: Json[] = pod.spec?.containers ?? [];
  return containers.reduce((sum, container) => {
    const resources = container.resources ?? {};
    return sum + Number(resources.limits?.['nvidia.com/gpu'] ?? resources.requests?.['nvidia.com/gpu'] ?? 0);
  }, 0);
}

export function gpuPodOf(object: KubeObject): GpuPod | null {
  const pod = object as Json;
  const phase = pod.status?.phase;
  const gpus = requested(pod);
  if (gpus <= 0 || !pod.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return null;
  const started = Date.parse(String(pod.status?.startTime ?? object.metadata.creationTimestamp ?? ''));
  return {
    namespace: object.metadata.namespace ?? '',
    pod: object.metadata.name,
    node: pod.spec.nodeName,
    gpus,
    startedMs: Number.isFinite(started) ? started : null,
  };
}

/** The GPU nodes among `nodes` and the running pods that request GPUs there (read-only: list only). */
export async function readGpuNodes(kube: KubeClient | undefined, nodes: string[]) {
  if (!kube || nodes.length === 0)
    return { nodes: [] as GpuNode[], pods: [] as GpuPod[], requests: [] as string[], raw: [] as string[] };
  const wanted = new Set(nodes);
  const [nodeList, ...podLists] = await Promise.all([
    kube.list('Node', {}),
    ...nodes.map((node) => kube.list('Pod', { fieldSelector: `spec.nodeName=${node}` })),
  ]);
  const pods = podLists
    .flatMap((list) => list.items)
    .map(gpuPodOf)
    .filter((pod): pod is GpuPod => pod !== null && wanted.has(pod.node));
  return {
    nodes: nodeList.items.filter((node) => wanted.has(node.metadata.name)).map(gpuNodeOf),
    pods,
    requests: [nodeList.request, ...podLists.map((list) => list.request)],
    raw: [nodeList.raw, ...podLists.map((list) => list.raw)],
  };
}
