import { apiGroupOf, type KubeObject } from '../core/kube-object.js';
import { formatAge } from './kube-age.js';
import { OTHER_SUMMARIES, summarizeCustomObject } from './summarize-other-kinds.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A pod's state as `kubectl get pods` reasons about it, plus the last termination. */
export function podState(pod: KubeObject): {
  phase: string;
  ready: string;
  restarts: number;
  waiting: string[];
  lastTerminated: string[];
  gpus: number;
  images: string[];
} {
  const spec = (pod.spec ?? {}) as Json;
  const status = (pod.status ?? {}) as Json;
  const statuses: Json[] = status.containerStatuses ?? [];
  const containers: Json[] = spec.containers ?? [];
  const waiting = statuses
    .filter((entry) => entry.state?.waiting)
    .map((entry) => `${entry.name}: ${entry.state.waiting.reason ?? 'Waiting'}`);
  const lastTerminated = statuses
    .filter((entry) => entry.lastState?.terminated || entry.state?.terminated)
    .map((entry) => {
      const terminated = entry.state?.terminated ?? entry.lastState.terminated;
      return `${entry.name}: ${terminated.reason ?? 'Terminated'} exit ${terminated.exitCode ?? '?'}`;
    });
  const gpus = containers.reduce(
    (sum, container) =>
      sum +
      Number(container.resources?.limits?.['nvidia.com/gpu'] ?? container.resources?.requests?.['nvidia.com/gpu'] ?? 0),
    0,
  );
  return {
    phase: status.reason ?? status.phase ?? 'Unknown',
    ready: `${statuses.filter((entry) => entry.ready).length}/${containers.length || statuses.length}`,
    restarts: statuses.reduce((sum, entry) => sum + Number(entry.restartCount ?? 0), 0),
    waiting,
    lastTerminated,
    gpus,
    images: containers.map((container) => String(container.image ?? '')),
  };
}

function conditions(object: KubeObject, interesting?: (condition: Json) => boolean): string {
  const list: Json[] = ((object.status as Json | undefined)?.conditions ?? []) as Json[];
  return list
    .filter(interesting ?? (() => true))
    .map((condition) => `${condition.type}=${condition.status}${condition.reason ? `(${condition.reason})` : ''}`)
    .join(' ');
}

const SUMMARIES: Record<string, (object: KubeObject, now: Date) => string> = {
  Pod(pod, now) {
    const state = podState(pod);
    const parts = [`${state.phase}`, `ready ${state.ready}`, `restarts ${state.restarts}`];
    if (state.waiting.length > 0) parts.push(`waiting [${state.waiting.join(', ')}]`);
    if (state.lastTerminated.length > 0) parts.push(`last terminated [${state.lastTerminated.join(', ')}]`);
    if (state.gpus > 0) parts.push(`gpus ${state.gpus}`);
    parts.push(`node ${(pod.spec as Json | undefined)?.nodeName ?? '(none)'}`);
    return parts.join(', ');
  },
  Deployment(deployment) {
    const spec = (deployment.spec ?? {}) as Json;
    const status = (deployment.status ?? {}) as Json;
    const images = ((spec.template?.spec?.containers ?? []) as Json[]).map((container) => container.image).join(',');
    return `replicas ${status.readyReplicas ?? 0}/${spec.replicas ?? 1} ready, ${status.updatedReplicas ?? 0} updated, ${status.availableReplicas ?? 0} available; image ${images}; ${conditions(deployment)}`;
  },
  ReplicaSet(replicaSet) {
    const spec = (replicaSet.spec ?? {}) as Json;
    const status = (replicaSet.status ?? {}) as Json;
    const images = ((spec.template?.spec?.containers ?? []) as Json[]).map((container) => container.image).join(',');
    const revision = replicaSet.metadata.annotations?.['deployment.kubernetes.io/revision'];
    return `replicas ${status.readyReplicas ?? 0}/${spec.replicas ?? 0} ready; image ${images}${revision ? `; revision ${revision}` : ''}`;
  },
  Node(node) {
    const status = (node.status ?? {}) as Json;
    const allocatable = (status.allocatable ?? {}) as Json;
    const gpu = allocatable['nvidia.com/gpu'] ? `, gpus ${allocatable['nvidia.com/gpu']}` : '';
    const unschedulable = (node.spec as Json | undefined)?.unschedulable ? ', unschedulable' : '';
    const product = node.metadata.labels?.['nvidia.com/gpu.product'];
    return `${conditions(node, (condition) => condition.type === 'Ready' || condition.status === 'True')}${gpu}${product ? ` (${product})` : ''}${unschedulable}`;
  },
  Event(event, now) {
    const body = event as Json;
    const involved = body.involvedObject ?? {};
    const last = body.lastTimestamp ?? body.eventTime ?? body.firstTimestamp ?? event.metadata.creationTimestamp;
    const count = Number(body.count ?? 1);
    return `${formatAge(last, now)} ago${count > 1 ? ` (x${count})` : ''} ${body.type ?? 'Normal'} ${body.reason ?? ''} ${involved.kind ?? ''}/${involved.name ?? ''}: ${String(body.message ?? '').trim()}`;
  },
  Service(service) {
    const spec = (service.spec ?? {}) as Json;
    const selector = Object.entries(spec.selector ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    const ports = ((spec.ports ?? []) as Json[]).map((port) => `${port.port}/${port.protocol ?? 'TCP'}`).join(',');
    return `${spec.type ?? 'ClusterIP'} selector ${selector || '(none)'} ports ${ports}`;
  },
  HorizontalPodAutoscaler(hpa) {
    const spec = (hpa.spec ?? {}) as Json;
    const status = (hpa.status ?? {}) as Json;
    return `target ${spec.scaleTargetRef?.kind}/${spec.scaleTargetRef?.name}; replicas current ${status.currentReplicas ?? '?'} desired ${status.desiredReplicas ?? '?'} (min ${spec.minReplicas ?? 1}, max ${spec.maxReplicas}); ${conditions(hpa)}`;
  },
  StatefulSet(set) {
    const status = (set.status ?? {}) as Json;
    return `replicas ${status.readyReplicas ?? 0}/${(set.spec as Json | undefined)?.replicas ?? 1} ready`;
  },
  DaemonSet(set) {
    const status = (set.status ?? {}) as Json;
    return `${status.numberReady ?? 0}/${status.desiredNumberScheduled ?? 0} ready`;
  },
  Job(job) {
    const status = (job.status ?? {}) as Json;
    return `succeeded ${status.succeeded ?? 0}, failed ${status.failed ?? 0}, active ${status.active ?? 0}; ${conditions(job)}`;
  },
  CronJob(cronJob) {
    const spec = (cronJob.spec ?? {}) as Json;
    return `schedule ${spec.schedule}${spec.suspend ? ', suspended' : ''}; last schedule ${(cronJob.status as Json | undefined)?.lastScheduleTime ?? 'never'}`;
  },
  ConfigMap(configMap) {
    return `keys ${Object.keys((configMap as Json).data ?? {}).join(', ') || '(none)'}`;
  },
  PersistentVolumeClaim(claim) {
    const status = (claim.status ?? {}) as Json;
    return `${status.phase ?? 'Unknown'}, capacity ${status.capacity?.storage ?? '?'}`;
  },
  ResourceQuota(quota) {
    const status = (quota.status ?? {}) as Json;
    const used = status.used ?? {};
    return Object.entries(status.hard ?? {})
      .map(([name, hard]) => `${name} ${used[name] ?? 0}/${hard}`)
      .join(', ');
  },
  Namespace(namespace) {
    return `${(namespace.status as Json | undefined)?.phase ?? 'Active'}`;
  },
};

const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'storage.k8s.io',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'discovery.k8s.io',
  'apiextensions.k8s.io',
]);

/** True when the object's kind has a summary of its own here (not a custom resource, RBAC or policy kind). */
export function hasOwnSummary(object: KubeObject): boolean {
  return BUILT_IN_GROUPS.has(apiGroupOf(object.apiVersion)) && object.kind in SUMMARIES;
}

/** One line per object: what `kubectl get -o wide` would show that matters for an incident. */
export function summarizeKubeObject(object: KubeObject, now: Date): string {
  const name = object.metadata.namespace
    ? `${object.metadata.namespace}/${object.metadata.name}`
    : object.metadata.name;
  // Kinds are matched with their group, so a Volcano Job is not read as a batch Job.
  const summarize = BUILT_IN_GROUPS.has(apiGroupOf(object.apiVersion))
    ? (SUMMARIES[object.kind] ?? OTHER_SUMMARIES[object.kind])
    : undefined;
  const summary = summarize ? summarize(object, now) : summarizeCustomObject(object);
  if (object.kind === 'Event') return summary;
  return `${object.kind} ${name} (age ${formatAge(object.metadata.creationTimestamp, now)})${summary ? `: ${summary}` : ''}`;
}
