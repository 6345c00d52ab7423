import type { PrometheusClient } from '../../telemetry/prometheus-types.js';
import { renderPromql } from '../render-promql.js';
import { ListValue } from '../template-values.js';

export interface PodStartTimes {
  /** Start in ms by `namespace/pod`. */
  started: Map<string, number>;
  requests: string[];
}

export interface PodStartScope {
  /** The pods asked about; without them, every pod of `namespaces`. */
  pods?: Array<{ namespace: string; pod: string }>;
  namespaces?: string[];
}

/**
 * When pods started, from kube-state-metrics' `kube_pod_start_time` (Unix seconds, the pod's
 * status.startTime): what the Kubernetes API would say, from Prometheus alone. Pods it does not
 * report are left out, and a failed query leaves them all out: an unknown start, not a guess.
 */
export async function readPodStartTimes(
  prometheus: PrometheusClient | undefined,
  scope: PodStartScope,
  now: Date,
): Promise<PodStartTimes> {
  const started = new Map<string, number>();
  if (!prometheus) return { started, requests: [] };
  const namespaces = [...new Set([...(scope.namespaces ?? []), ...(scope.pods ?? []).map((entry) => entry.namespace)])];
  const pods = [...new Set((scope.pods ?? []).map((entry) => entry.pod))];
  if (namespaces.length === 0 && pods.length === 0) return { started, requests: [] };
  const matchers = [
    namespaces.length > 0 ? 'namespace=~"{{namespaces}}"' : '',
    pods.length > 0 ? 'pod=~"{{pods}}"' : '',
  ].filter(Boolean);
  const query = renderPromql(`max by (namespace, pod) (kube_pod_start_time{${matchers.join(', ')}})`, {
    namespaces: new ListValue(namespaces),
    pods: new ListValue(pods),
  });
  try {
    const result = await prometheus.instantQuery(query, now);
    const wanted = scope.pods ? new Set(scope.pods.map((entry) => `${entry.namespace}/${entry.pod}`)) : undefined;
    for (const series of result.resultType === 'vector' ? result.series : []) {
      const key = `${series.labels.namespace ?? ''}/${series.labels.pod ?? ''}`;
      const seconds = series.value[1];
      if ((!wanted || wanted.has(key)) && Number.isFinite(seconds) && seconds > 0) started.set(key, seconds * 1000);
    }
    return { started, requests: [result.request] };
  } catch {
    return { started, requests: [] };
  }
}
