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

/**
 * The tails of the logs of some pods, every container, current instance (and the previous one of
 * restarted containers): what `kubectl logs` shows. A log that cannot be read is left out; an
 * absent log is not evidence of anything.
 */
export async function readPodLogs(
  kube: KubeClient,
  pods: KubeObject[],
  options: ReadPodLogsOptions = {},
): Promise<{ logs: PodLogLines[]; requests: string[] }> {
  const tailLines = options.tailLines ?? 200;
  const reads: Array<Promise<PodLogLines | null>> = [];
  const requests: string[] = [];
  for (const pod of pods.slice(0, options.maxPods ?? 5)) {
    const namespace = pod.metadata.namespace ?? '';
    const statuses = new Map<string, Json>(
      (((pod.status as Json | undefined)?.containerStatuses ?? []) as Json[]).map((status) => [status.name, status]),
    );
    for (const container of ((pod.spec as Json | undefined)?.containers ?? []) as Json[]) {
      const instances = [false];
      if (options.previous && Number(statuses.get(container.name)?.restartCount ?? 0) > 0) instances.push(true);
      for (const previous of instances) {
        reads.push(
          kube
            .podLogs({
              namespace,
              pod: pod.metadata.name,
              container: container.name,
              tailLines,
              ...(previous ? { previous: true } : {}),
            })
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
