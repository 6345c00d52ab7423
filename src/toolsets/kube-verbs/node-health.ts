import type { KubeObject } from '../../core/kube-object.js';
import { str, type KubeVerb } from './kube-verb.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];
/** Taints the node lifecycle controller and the kubelet set on a failing node. */
const FAILURE_TAINT = /not-ready|unreachable|pressure|unschedulable|network-unavailable/;
/** What the node controller, the kubelet and the taint manager record when a node fails. */
const NODE_EVENT_REASONS = new Set([
  'NodeNotReady',
  'NodeHasDiskPressure',
  'NodeHasInsufficientMemory',
  'NodeHasInsufficientPID',
  'EvictionThresholdMet',
  'Rebooted',
  'NodeNotSchedulable',
  'SystemOOM',
  'KubeletNotReady',
  'ContainerGCFailed',
  'ImageGCFailed',
]);
const POD_EVENT_REASONS = new Set([
  'NodeNotReady',
  'TaintManagerEviction',
  'Evicted',
  'Preempted',
  'NodeControllerEviction',
]);
/** A pod being deleted for longer than this on a failed node is stranded, not shutting down. */
const STRANDED_MS = 2 * 60_000;

export interface NodeState {
  name: string;
  /** The Ready condition's status: True, False or Unknown (the kubelet stopped posting). */
  ready: string | null;
  reason: string | null;
  message: string | null;
  /** Minutes since the Ready condition last changed. */
  minutesSince: number | null;
  pressure: string[];
  taints: string[];
  unhealthy: boolean;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const minutesAgo = (time: unknown, nowMs: number) => {
  const ms = Date.parse(String(time ?? ''));
  return Number.isFinite(ms) ? Math.round((nowMs - ms) / 60_000) : null;
};

export function nodeState(node: KubeObject, nowMs: number): NodeState {
  const conditions = ((node.status as Json | undefined)?.conditions ?? []) as Json[];
  const ready = conditions.find((condition) => condition.type === 'Ready');
  const pressure = conditions
    .filter((condition) => PRESSURE.includes(condition.type) && condition.status === 'True')
    .map((condition) => `${condition.type} since ${minutesAgo(condition.lastTransitionTime, nowMs) ?? '?'}m`);
  const taints = (((node.spec as Json | undefined)?.taints ?? []) as Json[])
    .map((taint) => String(taint.key ?? ''))
    .filter((key) => FAILURE_TAINT.test(key));
  const status = ready ? String(ready.status) : null;
  return {
    name: node.metadata.name,
    ready: status,
    reason: ready?.reason ?? null,
    message: ready?.message ? String(ready.message).replace(/\.$/, '').slice(0, 200) : null,
    minutesSince: minutesAgo(ready?.lastTransitionTime, nowMs),
    pressure,
    taints,
    unhealthy: (status !== null && status !== 'True') || pressure.length > 0,
  };
}

/** A pod the node took with it: evicted, marked for deletion by the taint manager, or stuck terminating unready. */
export function lostWithNode(pod: KubeObject, nowMs: number): boolean {
  const status = (pod.status ?? {}) as Json;
  const conditions = (status.conditions ?? []) as Json[];
  const disrupted = conditions.some(
    (condition) =>
      condition.type === 'DisruptionTarget' &&
      condition.status === 'True' &&
      ['DeletionByTaintManager', 'TerminationByKubelet', 'DeletionByPodGC'].includes(condition.reason),
  );
  const deleting = Date.parse(String(pod.metadata.deletionTimestamp ?? ''));
  const stranded =
    Number.isFinite(deleting) &&
    deleting < nowMs - STRANDED_MS &&
    conditions.some((condition) => condition.type === 'Ready' && condition.status !== 'True');
  return status.reason === 'Evicted' || disrupted || stranded;
}

/**
 * `nodes`: the health of the alert's nodes (Ready, pressure, failure taints), the pods they took
 * with them (evicted, deleted by the taint manager, stranded) and the node controller's events —
 * the node side of "my pods are gone", for every node of the alert at once.
 */
export const nodeHealth: KubeVerb = async (params, { kube, now }) => {
  const wanted = new Set(list(params.nodes));
  const pods = new Set(list(params.pods));
  const nowMs = now.getTime();
  const [nodeList, podList, eventList] = await Promise.all([
    kube.list('Node'),
    kube.list('Pod', str(params.namespace) && wanted.size === 0 ? { namespace: params.namespace } : {}),
    kube.events({}),
  ]);
  const nodes = nodeList.items
    .filter((node) => wanted.size === 0 || wanted.has(node.metadata.name))
    .map((node) => nodeState(node, nowMs));
  const names = new Set(nodes.map((node) => node.name));
  const onOurNodes = (pod: KubeObject) =>
    pods.has(pod.metadata.name) || names.has(String((pod.spec as Json | undefined)?.nodeName ?? ''));
  const lost = podList.items.filter((pod) => onOurNodes(pod) && lostWithNode(pod, nowMs));
  const lostPods = lost.map((pod) => `${pod.metadata.name} on ${(pod.spec as Json | undefined)?.nodeName ?? '?'}`);
  // Stuck Terminating: only a force delete frees them, and a StatefulSet starts no replacement until then.
  const stuck = lost
    .filter((pod) => pod.metadata.deletionTimestamp)
    .map((pod) => ({
      namespace: pod.metadata.namespace ?? '',
      pod: pod.metadata.name,
      node: String((pod.spec as Json | undefined)?.nodeName ?? ''),
      owner: pod.metadata.ownerReferences?.find((reference) => reference.controller)?.kind ?? null,
    }));
  const pendingPods = podList.items
    .filter(
      (pod) =>
        pods.has(pod.metadata.name) &&
        (pod.status as Json | undefined)?.phase === 'Pending' &&
        !(pod.spec as Json | undefined)?.nodeName,
    )
    .map((pod) => pod.metadata.name);
  const events = [
    ...new Set(
      eventList.items
        .map((event) => event as Json)
        .filter((event) =>
          event.involvedObject?.kind === 'Node'
            ? names.has(event.involvedObject.name) && NODE_EVENT_REASONS.has(event.reason)
            : event.involvedObject?.kind === 'Pod' &&
              pods.has(event.involvedObject.name) &&
              POD_EVENT_REASONS.has(event.reason),
        )
        .map((event) => `${event.involvedObject.name}: ${event.reason}`),
    ),
  ];
  const unhealthy = nodes.filter((node) => node.unhealthy);
  const notReady = unhealthy
    .filter((node) => node.ready !== 'True')
    .map(
      (node) => `${node.name} (Ready=${node.ready ?? '?'}, ${node.reason ?? '?'}, since ${node.minutesSince ?? '?'}m)`,
    );
  const pressure = nodes.flatMap((node) => node.pressure.map((item) => `${node.name} ${item}`));
  const text = [
    nodes.length === 0
      ? `None of the ${wanted.size} nodes asked for exists (${[...wanted].join(', ').slice(0, 120)}).`
      : nodes
          .map(
            (node) =>
              `${node.name}: Ready=${node.ready ?? '?'}${node.reason ? ` (${node.reason})` : ''}${node.minutesSince !== null ? ` for ${node.minutesSince}m` : ''}${node.pressure.length > 0 ? `; ${node.pressure.join(', ')}` : ''}${node.taints.length > 0 ? `; taints ${node.taints.join(', ')}` : ''}${node.message && node.ready !== 'True' ? `; ${node.message}` : ''}`,
          )
          .join('\n'),
    ...(lostPods.length > 0 ? [`Pods lost with the node: ${lostPods.join(', ')}`] : []),
    ...(pendingPods.length > 0 ? [`Pending unscheduled: ${pendingPods.join(', ')}`] : []),
    ...(events.length > 0 ? [`Events: ${events.join('; ')}`] : []),
  ].join('\n');
  return {
    status: nodes.length === 0 ? 'no_data' : 'success',
    text,
    data: {
      nodes,
      unhealthy: unhealthy.map((node) => node.name),
      notReady,
      pressure,
      message: unhealthy.find((node) => node.ready !== 'True')?.message ?? null,
      lostPods,
      stuck,
      pendingPods,
      events,
    },
    requests: [nodeList.request, podList.request, eventList.request],
    raw: [nodeList.raw, podList.raw, eventList.raw],
  };
};
