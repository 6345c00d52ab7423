import type { KubeObject } from '../../core/kube-object.js';
import type { KubeClient } from '../../telemetry/kube-types.js';
import type { Json } from './kube-reads.js';
import { describeSelector } from './label-selector-match.js';
import type { PodLogLines } from './read-pod-logs.js';

/** In-cluster service names: `<service>.<namespace>.svc[.cluster.local]`. */
const SERVICE_HOST =
  /\b([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?\b/g;
const FAILURE = /error|fail|refused|timed? ?out|unavailable|unreachable|exception|\b5\d\d\b/i;

/** The in-cluster services that the workload's failing calls name in its logs, most named first. */
export function failingUpstreams(logs: PodLogLines[]): Array<{ service: string; namespace: string; lines: number }> {
  const counts = new Map<string, number>();
  for (const log of logs)
    for (const line of log.lines) {
      if (!FAILURE.test(line)) continue;
      for (const match of new Set([...line.matchAll(SERVICE_HOST)].map((found) => `${found[1]}.${found[2]}`)))
        counts.set(match, (counts.get(match) ?? 0) + 1);
    }
  return [...counts.entries()]
    .sort((left, right) => right[1] - left[1])
    .map(([key, lines]) => {
      const [service, namespace] = key.split('.') as [string, string];
      return { service, namespace, lines };
    });
}

/** The pods a Service selects, as the endpoints controller picks them. */
export async function servicePods(kube: KubeClient, namespace: string, name: string): Promise<KubeObject[]> {
  const service = await kube.get('Service', name, namespace).catch(() => null);
  const selector = (service?.object?.spec as Json | undefined)?.selector as Record<string, string> | undefined;
  if (!selector || Object.keys(selector).length === 0) return [];
  const pods = await kube.list('Pod', { namespace, labelSelector: describeSelector({ matchLabels: selector }) });
  return pods.items;
}
