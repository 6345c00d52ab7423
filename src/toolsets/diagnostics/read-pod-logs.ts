import pLimit from 'p-limit';
import type { KubeObject } from '../../core/kube-object.js';
import type { KubeClient } from '../../telemetry/kube-types.js';
import type { Json } from './kube-reads.js';

export interface PodLogLines {
  pod: string;
  namespace: string;
  container: string;
  previous: boolean;
  lines: string[];
}

export interface ReadPodLogsOptions {
  /** Pods whose logs are read, at most; the rest are skipped (the first ones are the alert's). */
  maxPods?: number;
  tailLines?: number;
  /** Also the previous instance of a container that restarted. */
  previous?: boolean;
}

/** Log reads in flight at once: a workload of a hundred pods must not burst the API server. */
const CONCURRENT_READS = 8;

/** How unwell a pod looks from its status: containers waiting (crash loop, config error), not ready, restarted. */
export function podTrouble(pod: KubeObject): number {
  const status = (pod.status ?? {}) as Json;
  const statuses = [
    ...((status.initContainerStatuses ?? []) as Json[]),
    ...((status.containerStatuses ?? []) as Json[]),
  ];
  const waiting = statuses.some((entry) => entry.state?.waiting);
  const notReady =
    status.phase !== 'Succeeded' &&
    (status.phase !== 'Running' || statuses.some((entry) => entry.ready === false && !entry.state?.terminated));
  const restarts = statuses.reduce((sum, entry) => sum + Number(entry.restartCount ?? 0), 0);
  return (waiting ? 4 : 0) + (notReady ? 2 : 0) + (restarts > 0 ? 1 : 0);
}

/** Unhealthy pods first (the order pods are read in, so a cap keeps the ones that explain the trouble). */
export function unhealthyFirst(pods: KubeObject[]): KubeObject[] {
  return pods
    .map((pod, index) => ({ pod, index, trouble: podTrouble(pod) }))
    .sort((left, right) => right.trouble - left.trouble || left.index - right.index)
    .map((entry) => entry.pod);
}

/**
 * The tails of the logs of some pods, unhealthy ones first, every container, current instance (and
 * the previous one of restarted containers): what `kubectl logs` shows. A log that cannot be read
 * is left out; an absent log is not evidence of anything.
 */
export async function readPodLogs(
  kube: KubeClient,
  pods: KubeObject[],
  options: ReadPodLogsOptions = {},
): Promise<{ logs: PodLogLines[]; requests: string[] }> {
  const tailLines = options.tailLines ?? 200;
  const reads: Array<Promise<PodLogLines | null>> = [];
  const requests: string[] = [];
  const limit = pLimit(CONCURRENT_READS);
  for (const pod of unhealthyFirst(pods).slice(0, options.maxPods ?? 5)) {
    const namespace = pod.metadata.namespace ?? '';
    const statuses = new Map<string, Json>(
      (((pod.status as Json | undefined)?.containerStatuses ?? []) as Json[]).map((status) => [status.name, status]),
    );
    for (const container of ((pod.spec as Json | undefined)?.containers ?? []) as Json[]) {
      const instances = [false];
      if (options.previous && Number(statuses.get(container.name)?.restartCount ?? 0) > 0) instances.push(true);
      for (const previous of instances) {
        reads.push(
          limit(() =>
            kube.podLogs({
              namespace,
              pod: pod.metadata.name,
              container: container.name,
              tailLines,
              ...(previous ? { previous: true } : {}),
            }),
          )
            .then((result) => {
              requests.push(result.request);
              return {
                pod: pod.metadata.name,
                namespace,
                container: String(container.name),
                previous,
                lines: result.text.split('\n').filter((line) => line.length > 0),
              };
            })
            .catch(() => null),
        );
      }
    }
  }
  const logs = (await Promise.all(reads)).filter((entry): entry is PodLogLines => entry !== null);
  return { logs, requests };
}

/** A log line as a fact: JSON escapes undone, cut to a readable length. */
export function cleanLine(line: string, max = 300): string {
  const text = line.replace(/\\"/g, '"').replace(/\\n/g, ' ');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
