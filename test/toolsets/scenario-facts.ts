/**
 * Facts a scenario's own files imply — which pods share a GPU, who owns a pod, what rolled out,
 * what the alert's threshold is — computed from the scenario, so the integration tests assert a
 * tool's behaviour against the data rather than against a copy of its output.
 */
import { parseDuration } from '../../src/core/duration.js';
import type { KubeObject } from '../../src/core/kube-object.js';
import type { Scenario } from '../../src/lab/scenario.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The dcgm-exporter metrics that attribute a GPU's activity or memory to a pod. */
const ATTRIBUTION_METRICS = new Set([
  'DCGM_FI_DEV_GPU_UTIL',
  'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  'DCGM_FI_DEV_FB_USED',
  'DCGM_FI_DEV_FB_FREE',
]);

export interface SharedGpuFact {
  node: string;
  gpu: string;
  /** `namespace/pod` of every workload DCGM attributes to the GPU now. */
  pods: string[];
  mig: boolean;
}

/** Physical GPUs that DCGM attributes to more than one pod at the scenario's `now`. */
export function sharedGpus(scenario: Scenario): SharedGpuFact[] {
  const byGpu = new Map<
    string,
    { node: string; gpu: string; pods: Set<string>; instances: Set<string>; allMig: boolean }
  >();
  for (const series of scenario.series) {
    const labels = series.labels;
    if (!ATTRIBUTION_METRICS.has(series.metric) || !labels.pod || typeof series.values.at(-1) !== 'number') continue;
    const node = labels.Hostname ?? labels.hostname ?? labels.node ?? '?';
    const key = labels.UUID ?? `${node}/${labels.gpu}`;
    const entry = byGpu.get(key) ?? {
      node,
      gpu: labels.gpu ?? '?',
      pods: new Set<string>(),
      instances: new Set<string>(),
      allMig: true,
    };
    entry.pods.add(`${labels.namespace ?? ''}/${labels.pod}`);
    if (labels.GPU_I_ID === undefined) entry.allMig = false;
    else entry.instances.add(labels.GPU_I_ID);
    byGpu.set(key, entry);
  }
  return [...byGpu.values()]
    .filter((entry) => entry.pods.size > 1)
    .map((entry) => ({
      node: entry.node,
      gpu: entry.gpu,
      pods: [...entry.pods].sort(),
      mig: entry.allMig && entry.instances.size === entry.pods.size,
    }));
}

export function objectsOf(scenario: Scenario, kind: string, namespace?: string): KubeObject[] {
  return scenario.objects.filter(
    (object) => object.kind === kind && (namespace === undefined || object.metadata.namespace === namespace),
  );
}

/** The chain of controlling owners of an object, itself first, as far as the scenario has them. */
export function ownerChainOf(scenario: Scenario, object: KubeObject): KubeObject[] {
  const chain = [object];
  let current = object;
  for (;;) {
    const reference =
      current.metadata.ownerReferences?.find((owner) => owner.controller) ?? current.metadata.ownerReferences?.[0];
    const owner =
      reference &&
      scenario.objects.find(
        (item) =>
          item.kind === reference.kind &&
          item.metadata.name === reference.name &&
          item.metadata.namespace === current.metadata.namespace,
      );
    if (!owner || chain.includes(owner)) return chain;
    chain.push(owner);
    current = owner;
  }
}

/** ReplicaSets that replaced an older one of the same Deployment within `within` of now. */
export function rolloutsWithin(scenario: Scenario, within: string, namespace?: string): KubeObject[] {
  const windowMs = parseDuration(within);
  const byDeployment = new Map<string, KubeObject[]>();
  for (const replicaSet of objectsOf(scenario, 'ReplicaSet', namespace)) {
    // Deployments and Argo Rollouts both roll out through ReplicaSets.
    const owner = replicaSet.metadata.ownerReferences?.find((reference) =>
      ['Deployment', 'Rollout'].includes(reference.kind),
    );
    if (!owner) continue;
    const key = `${replicaSet.metadata.namespace}/${owner.kind}/${owner.name}`;
    byDeployment.set(key, [...(byDeployment.get(key) ?? []), replicaSet]);
  }
  const created = (object: KubeObject) => Date.parse(object.metadata.creationTimestamp ?? '');
  return [...byDeployment.values()].flatMap((sets) =>
    [...sets]
      .sort((a, b) => created(a) - created(b))
      .filter((set, index) => index > 0 && scenario.now.getTime() - created(set) <= windowMs),
  );
}

/** Pods in a waiting or terminated state an SRE reads first: CrashLoopBackOff, OOMKilled, … */
export function troubledPods(scenario: Scenario, namespace?: string): Array<{ pod: KubeObject; reasons: string[] }> {
  return objectsOf(scenario, 'Pod', namespace)
    .map((pod) => {
      const statuses = (((pod.status ?? {}) as Json).containerStatuses ?? []) as Json[];
      const reasons = statuses.flatMap((status) =>
        [status.state?.waiting?.reason, status.lastState?.terminated?.reason].filter(
          (reason): reason is string => typeof reason === 'string' && reason !== 'Completed',
        ),
      );
      return { pod, reasons };
    })
    .filter((entry) => entry.reasons.length > 0);
}

export function warningEvents(scenario: Scenario, namespace?: string): KubeObject[] {
  return objectsOf(scenario, 'Event', namespace).filter((event) => (event as Json).type === 'Warning');
}

export function logLines(
  scenario: Scenario,
  namespace: string,
  pod: string,
  container: string | undefined,
  previous: boolean,
): string[] | undefined {
  const log = scenario.logs.find(
    (entry) =>
      entry.namespace === namespace &&
      entry.pod === pod &&
      (!container || entry.container === container) &&
      entry.previous === previous,
  );
  return log?.lines.filter((line) => line.length > 0);
}

/** A word that some but not all lines contain: a filter whose result is known in advance. */
export function discriminatingWord(lines: string[]): string | undefined {
  const words = [...new Set(lines.flatMap((line) => line.toLowerCase().match(/[a-z]{5,}/g) ?? []))];
  const counts = words.map((word) => ({
    word,
    count: lines.filter((line) => line.toLowerCase().includes(word)).length,
  }));
  return counts
    .filter((entry) => entry.count > 0 && entry.count < lines.length)
    .sort((a, b) => a.count - b.count || a.word.localeCompare(b.word))[0]?.word;
}

export interface LatencyAlert {
  /** The vllm_overview query that shows the same latency at p99. */
  query: 'ttft_p99' | 'e2e_p99';
  quantile: number;
  threshold: number;
}

/** An alert of the form `histogram_quantile(q, … vllm:<latency>_bucket …) > threshold`. */
export function vllmLatencyAlert(scenario: Scenario): LatencyAlert | undefined {
  const url = scenario.alert.generatorURL;
  if (!url) return undefined;
  let expression: string | null;
  try {
    expression = new URL(url).searchParams.get('g0.expr');
  } catch {
    return undefined;
  }
  const match =
    /^histogram_quantile\(\s*([\d.]+)\s*,[\s\S]*vllm:(time_to_first_token_seconds|e2e_request_latency_seconds)_bucket[\s\S]*\)\s*>\s*([\d.]+)\s*$/.exec(
      expression ?? '',
    );
  if (!match || Number(match[1]) > 0.99) return undefined;
  return {
    query: match[2] === 'time_to_first_token_seconds' ? 'ttft_p99' : 'e2e_p99',
    quantile: Number(match[1]),
    threshold: Number(match[3]),
  };
}
