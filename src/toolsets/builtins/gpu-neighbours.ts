import type { GpuNode, GpuPod } from './gpu-nodes.js';
import type { GpuAttribution, GpuSeries } from './gpu-workloads.js';

/** Another workload's pod on one of our physical GPUs, and how we know. */
export interface GpuNeighbour {
  namespace: string;
  pod: string;
  node: string;
  gpu: string;
  gpuKey: string;
  /**
   * `shares`: dcgm-exporter attributes the GPU to both at once (KUBERNETES_VIRTUAL_GPUS, MPS);
   * `attribution-switched`: it names one pod per GPU and switched between ours and theirs while both
   * still run there; `hidden`: a time-sliced node's GPU pod the exporter never names, and our GPUs are
   * the only ones it can be on.
   */
  how: 'shares' | 'attribution-switched' | 'hidden';
  /** Our pods on that GPU. */
  victims: string[];
  /** When the neighbour started (pod start from Kubernetes or kube_pod_start_time, else its first DCGM attribution), RFC 3339. */
  since: string | null;
  minutesBeforeAlert: number | null;
}

export interface NeighbourInput {
  attributions: GpuAttribution[];
  current: GpuSeries[];
  nodes: GpuNode[];
  pods: GpuPod[];
  /** Whether Kubernetes was read: without it, "still running" falls back to a current attribution. */
  kubeRead: boolean;
  /** Pod starts by `namespace/pod` from kube-state-metrics' kube_pod_start_time, for pods Kubernetes did not give. */
  startTimes?: ReadonlyMap<string, number>;
  isOurs: (namespace: string | undefined, pod: string | undefined) => boolean;
  alertStartMs: number;
  nowMs: number;
}

export interface NeighbourFindings {
  ours: { pods: string[]; gpus: string[] };
  neighbours: GpuNeighbour[];
  /** Other workloads' GPU pods on a time-sliced node of ours that may or may not be on our GPU. */
  possible: Array<{ namespace: string; pod: string; node: string }>;
  /** Other workloads on our GPUs in MIG instances of their own (isolated: not contention). */
  isolated: string[];
  /** Highest activity (%) and framebuffer share now of a GPU we share. */
  busiest: number | null;
  fullest: number | null;
}

/** Attribution gaps shorter than this are one scrape's staleness, not a change of hands. */
const SLACK_MS = 10 * 60_000;
const describeGpu = (row: { gpu: string; node: string; migInstance?: string | null }) =>
  `gpu ${row.gpu} on ${row.node}${row.migInstance ? ` (MIG ${row.migInstance})` : ''}`;

/**
 * The workloads that contend with ours for a physical GPU, from dcgm-exporter's attribution over
 * time and the pods Kubernetes placed on our time-sliced nodes. By default the exporter names only
 * one pod per time-sliced GPU (the last it saw), so concurrent series are the exception and a
 * switch of attribution, or a GPU pod nobody attributes, is how sharing usually shows.
 */
export function findNeighbours(input: NeighbourInput): NeighbourFindings {
  const { attributions, isOurs, nowMs } = input;
  const ours = attributions.filter((row) => isOurs(row.namespace, row.pod));
  const running = (namespace: string, pod: string, node: string, lastMs: number) =>
    input.kubeRead
      ? input.pods.some((entry) => entry.namespace === namespace && entry.pod === pod && entry.node === node)
      : lastMs >= nowMs - SLACK_MS;
  const startOf = (namespace: string, pod: string, fallbackMs: number) =>
    input.pods.find((entry) => entry.namespace === namespace && entry.pod === pod)?.startedMs ??
    input.startTimes?.get(`${namespace}/${pod}`) ??
    fallbackMs;
  const found = new Map<string, GpuNeighbour>();
  const isolated = new Set<string>();
  const add = (
    row: Omit<GpuNeighbour, 'since' | 'minutesBeforeAlert' | 'victims'>,
    victim: string,
    startMs: number,
  ) => {
    const key = `${row.namespace}/${row.pod}|${row.gpuKey}`;
    const known = found.get(key);
    if (known) {
      if (!known.victims.includes(victim)) known.victims.push(victim);
      return;
    }
    found.set(key, {
      ...row,
      victims: [victim],
      since: new Date(startMs).toISOString(),
      minutesBeforeAlert: Math.round((input.alertStartMs - startMs) / 60_000),
    });
  };
  for (const mine of ours) {
    for (const other of attributions) {
      if (other.gpuKey !== mine.gpuKey || isOurs(other.namespace, other.pod)) continue;
      if (mine.migInstance && other.migInstance && mine.migInstance !== other.migInstance) {
        isolated.add(`${other.namespace}/${other.pod}`);
        continue;
      }
      const overlap = Math.min(mine.lastMs, other.lastMs) - Math.max(mine.firstMs, other.firstMs);
      const base = {
        namespace: other.namespace,
        pod: other.pod,
        node: other.node,
        gpu: other.gpu,
        gpuKey: other.gpuKey,
      };
      if (overlap >= SLACK_MS) {
        add({ ...base, how: 'shares' }, mine.pod, startOf(other.namespace, other.pod, other.firstMs));
        continue;
      }
      // One pod named at a time: the GPU changed hands. Both still running there means both hold a replica.
      const bothRun =
        running(mine.namespace, mine.pod, mine.node, mine.lastMs) &&
        running(other.namespace, other.pod, other.node, other.lastMs);
      if (bothRun)
        add({ ...base, how: 'attribution-switched' }, mine.pod, startOf(other.namespace, other.pod, other.firstMs));
    }
  }
  // GPU pods of time-sliced nodes that the exporter attributes to no GPU share one that it does.
  const ourKeys = new Set(ours.map((row) => row.gpuKey));
  const possible: NeighbourFindings['possible'] = [];
  const attributed = new Set(attributions.map((row) => `${row.namespace}/${row.pod}`));
  for (const node of input.nodes.filter((entry) => entry.timeSliced)) {
    const keys = new Set(
      attributions.filter((row) => row.node === node.node && row.lastMs >= nowMs - SLACK_MS).map((row) => row.gpuKey),
    );
    const ourKeysHere = [...keys].filter((key) => ourKeys.has(key));
    if (ourKeysHere.length === 0) continue;
    const onlyOurs = ourKeysHere.length === keys.size || node.physical === 1;
    for (const pod of input.pods) {
      if (pod.node !== node.node || isOurs(pod.namespace, pod.pod) || attributed.has(`${pod.namespace}/${pod.pod}`))
        continue;
      if (!onlyOurs) {
        possible.push({ namespace: pod.namespace, pod: pod.pod, node: pod.node });
        continue;
      }
      // Every GPU it can be on is ours: it time-slices one of them.
      const gpus = ours.filter((row) => ourKeysHere.includes(row.gpuKey));
      const gpu = [...new Set(gpus.map((row) => row.gpu))].join(' or ');
      for (const victim of gpus)
        add(
          { namespace: pod.namespace, pod: pod.pod, node: pod.node, gpu, gpuKey: victim.gpuKey, how: 'hidden' },
          victim.pod,
          pod.startedMs ?? nowMs,
        );
    }
  }
  const neighbours = [...found.values()];
  const sharedKeys = new Set(neighbours.map((entry) => entry.gpuKey));
  const shared = input.current.filter((entry) => sharedKeys.has(entry.gpuKey));
  const activities = shared.map((entry) => entry.activity).filter((value): value is number => value !== null);
  const fill = shared
    .filter((entry) => entry.fbUsedMiB !== null && entry.fbFreeMiB !== null && entry.fbUsedMiB + entry.fbFreeMiB > 0)
    .map((entry) => entry.fbUsedMiB! / (entry.fbUsedMiB! + entry.fbFreeMiB!));
  return {
    ours: {
      pods: [...new Set(ours.map((row) => `${row.namespace}/${row.pod}`))],
      gpus: [...new Set(ours.map(describeGpu))],
    },
    neighbours,
    possible,
    isolated: [...isolated],
    busiest: activities.length > 0 ? Math.max(...activities) : null,
    fullest: fill.length > 0 ? Math.max(...fill) : null,
  };
}
