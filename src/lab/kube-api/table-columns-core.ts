import type { KubeObject } from '../../core/kube-object.js';
import { ageOf } from './human-duration.js';
import { readList, readNumber, readPath, readRecord, readText } from './read-path.js';
import { ageColumn, column, nameColumn, type TableColumn } from './table.js';

/** Columns of the core/v1 kinds, after the API server's printers (pkg/printers/internalversion). */

export const orNone = (text: string) => (text === '' ? '<none>' : text);

interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

function terminatedReason(state: Record<string, unknown>, prefix: string): string {
  const reason = readText(state, 'reason');
  if (reason !== '') return `${prefix}${reason}`;
  const signal = readNumber(state, 'signal');
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${readNumber(state, 'exitCode')}`;
}

/** READY, STATUS and RESTARTS as `printPod` computes them. */
function summarizePod(pod: KubeObject, now: Date): PodSummary {
  const initContainers = readList(pod, 'spec.initContainers');
  const restartable = new Set(
    initContainers
      .filter((container) => readText(container, 'restartPolicy') === 'Always')
      .map((container) => readText(container, 'name')),
  );
  const total = readList(pod, 'spec.containers').length + restartable.size;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let status = readText(pod, 'status.reason') || readText(pod, 'status.phase');
  const noteRestart = (containerStatus: Record<string, unknown>) => {
    restarts += readNumber(containerStatus, 'restartCount');
    const finished = Date.parse(readText(containerStatus, 'lastState.terminated.finishedAt'));
    if (!Number.isNaN(finished) && finished > lastRestart) lastRestart = finished;
  };

  let initializing = false;
  const initStatuses = readList(pod, 'status.initContainerStatuses');
  for (const [index, containerStatus] of initStatuses.entries()) {
    noteRestart(containerStatus);
    const terminated = readRecord(containerStatus, 'state.terminated');
    const waitingReason = readText(containerStatus, 'state.waiting.reason');
    if (readPath(containerStatus, 'state.terminated') !== undefined && readNumber(terminated, 'exitCode') === 0)
      continue;
    if (restartable.has(readText(containerStatus, 'name')) && readPath(containerStatus, 'started') === true) {
      if (readPath(containerStatus, 'ready') === true) ready += 1;
      continue;
    }
    if (readPath(containerStatus, 'state.terminated') !== undefined) status = terminatedReason(terminated, 'Init:');
    else if (waitingReason !== '' && waitingReason !== 'PodInitializing') status = `Init:${waitingReason}`;
    else status = `Init:${index}/${initContainers.length}`;
    initializing = true;
    break;
  }

  const initialized = readList(pod, 'status.conditions').some(
    (condition) => condition.type === 'Initialized' && condition.status === 'True',
  );
  if (!initializing || initialized) {
    let hasRunning = false;
    const statuses = readList(pod, 'status.containerStatuses');
    for (const containerStatus of [...statuses].reverse()) {
      noteRestart(containerStatus);
      const waitingReason = readText(containerStatus, 'state.waiting.reason');
      const terminated = readPath(containerStatus, 'state.terminated');
      if (waitingReason !== '') status = waitingReason;
      else if (terminated !== undefined) status = terminatedReason(readRecord(containerStatus, 'state.terminated'), '');
      else if (
        readPath(containerStatus, 'ready') === true &&
        readPath(containerStatus, 'state.running') !== undefined
      ) {
        hasRunning = true;
        ready += 1;
      }
    }
    if (status === 'Completed' && hasRunning) {
      const podReady = readList(pod, 'status.conditions').some(
        (condition) => condition.type === 'Ready' && condition.status === 'True',
      );
      status = podReady ? 'Running' : 'NotReady';
    }
  }
  const phase = readText(pod, 'status.phase');
  if (readText(pod, 'metadata.deletionTimestamp') !== '') {
    if (readText(pod, 'status.reason') === 'NodeLost') status = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') status = 'Terminating';
  }
  const restartsText =
    restarts !== 0 && lastRestart > 0
      ? `${restarts} (${ageOf(new Date(lastRestart).toISOString(), now)} ago)`
      : String(restarts);
  return { ready: `${ready}/${total}`, status, restarts: restartsText };
}

const podColumns: TableColumn[] = [
  nameColumn,
  column('Ready', (pod, now) => summarizePod(pod, now).ready),
  column('Status', (pod, now) => summarizePod(pod, now).status),
  column('Restarts', (pod, now) => summarizePod(pod, now).restarts),
  ageColumn,
  column('IP', (pod) => orNone(readText(readList(pod, 'status.podIPs')[0], 'ip') || readText(pod, 'status.podIP')), 1),
  column('Node', (pod) => orNone(readText(pod, 'spec.nodeName')), 1),
  column('Nominated Node', (pod) => orNone(readText(pod, 'status.nominatedNodeName')), 1),
  column(
    'Readiness Gates',
    (pod) => {
      const gates = readList(pod, 'spec.readinessGates');
      if (gates.length === 0) return '<none>';
      const conditions = readList(pod, 'status.conditions');
      const met = gates.filter((gate) =>
        conditions.some((condition) => condition.type === gate.conditionType && condition.status === 'True'),
      );
      return `${met.length}/${gates.length}`;
    },
    1,
  ),
];

function nodeStatus(node: KubeObject): string {
  const ready = readList(node, 'status.conditions').find((condition) => condition.type === 'Ready');
  const parts = [ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown'];
  if (readPath(node, 'spec.unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: KubeObject): string {
  const roles = Object.entries(node.metadata.labels ?? {}).flatMap(([key, value]) => {
    if (key.startsWith('node-role.kubernetes.io/')) return [key.slice('node-role.kubernetes.io/'.length)];
    if (key === 'kubernetes.io/role' && value !== '') return [value];
    return [];
  });
  return roles.length === 0 ? '<none>' : [...new Set(roles)].sort().join(',');
}

const nodeAddress = (type: string) => (node: KubeObject) =>
  orNone((readList(node, 'status.addresses').find((address) => address.type === type)?.address as string) ?? '');

const nodeColumns: TableColumn[] = [
  nameColumn,
  column('Status', nodeStatus),
  column('Roles', nodeRoles),
  ageColumn,
  column('Version', (node) => readText(node, 'status.nodeInfo.kubeletVersion')),
  column('Internal-IP', nodeAddress('InternalIP'), 1),
  column('External-IP', nodeAddress('ExternalIP'), 1),
  column('OS-Image', (node) => orNone(readText(node, 'status.nodeInfo.osImage')), 1),
  column('Kernel-Version', (node) => orNone(readText(node, 'status.nodeInfo.kernelVersion')), 1),
  column('Container-Runtime', (node) => orNone(readText(node, 'status.nodeInfo.containerRuntimeVersion')), 1),
];

function servicePorts(service: KubeObject): string {
  const ports = readList(service, 'spec.ports').map((port) => {
    const protocol = readText(port, 'protocol') || 'TCP';
    const nodePort = readNumber(port, 'nodePort');
    return nodePort > 0
      ? `${readNumber(port, 'port')}:${nodePort}/${protocol}`
      : `${readNumber(port, 'port')}/${protocol}`;
  });
  return orNone(ports.join(','));
}

function serviceExternalIp(service: KubeObject): string {
  const type = readText(service, 'spec.type') || 'ClusterIP';
  const externalIps = (readPath(service, 'spec.externalIPs') as string[] | undefined) ?? [];
  if (type === 'ExternalName') return readText(service, 'spec.externalName');
  if (type === 'LoadBalancer') {
    const ingress = readList(service, 'status.loadBalancer.ingress').map(
      (entry) => readText(entry, 'ip') || readText(entry, 'hostname'),
    );
    const all = [...ingress, ...externalIps].filter(Boolean);
    return all.length > 0 ? all.join(',') : '<pending>';
  }
  return orNone(externalIps.join(','));
}

const serviceColumns: TableColumn[] = [
  nameColumn,
  column('Type', (service) => readText(service, 'spec.type') || 'ClusterIP'),
  column('Cluster-IP', (service) => orNone(readText(service, 'spec.clusterIP'))),
  column('External-IP', serviceExternalIp),
  column('Port(s)', servicePorts),
  ageColumn,
  column(
    'Selector',
    (service) =>
      orNone(
        Object.entries(readRecord(service, 'spec.selector'))
          .map(([key, value]) => `${key}=${String(value)}`)
          .join(','),
      ),
    1,
  ),
];

function eventTimes(event: KubeObject, now: Date): { first: string; last: string; count: number } {
  let first = ageOf(readText(event, 'firstTimestamp'), now);
  if (readText(event, 'firstTimestamp') === '') first = ageOf(readText(event, 'eventTime'), now);
  let last = readText(event, 'lastTimestamp') === '' ? first : ageOf(readText(event, 'lastTimestamp'), now);
  let count = readNumber(event, 'count');
  if (readPath(event, 'series') !== undefined) {
    last = ageOf(readText(event, 'series.lastObservedTime'), now);
    count = readNumber(event, 'series.count');
  } else if (count === 0) count = 1;
  return { first, last, count };
}

const eventColumns: TableColumn[] = [
  column('Last Seen', (event, now) => eventTimes(event, now).last),
  column('Type', (event) => readText(event, 'type')),
  column('Reason', (event) => readText(event, 'reason')),
  column('Object', (event) => {
    const kind = readText(event, 'involvedObject.kind').toLowerCase();
    const name = readText(event, 'involvedObject.name');
    return name === '' ? kind : `${kind}/${name}`;
  }),
  column('Subobject', (event) => readText(event, 'involvedObject.fieldPath'), 1),
  column(
    'Source',
    (event) => {
      const component = readText(event, 'source.component') || readText(event, 'reportingController');
      const host = readText(event, 'source.host') || readText(event, 'reportingInstance');
      return host === '' ? component : `${component}, ${host}`;
    },
    1,
  ),
  column('Message', (event) => readText(event, 'message').trim()),
  column('First Seen', (event, now) => eventTimes(event, now).first, 1),
  column('Count', (event, now) => eventTimes(event, now).count, 1, 'integer'),
  { ...nameColumn, priority: 1 },
];

function quotaUsage(quota: KubeObject, limits: boolean): string {
  const hard = readRecord(quota, 'status.hard');
  const used = readRecord(quota, 'status.used');
  return Object.keys(hard)
    .filter((resource) => resource.startsWith('limits.') === limits)
    .sort()
    .map((resource) => `${resource}: ${String(used[resource] ?? '0')}/${String(hard[resource])}`)
    .join(', ');
}

export const CORE_TABLE_COLUMNS: Record<string, TableColumn[]> = {
  Namespace: [nameColumn, column('Status', (namespace) => readText(namespace, 'status.phase') || 'Active'), ageColumn],
  Node: nodeColumns,
  Pod: podColumns,
  Service: serviceColumns,
  Event: eventColumns,
  ConfigMap: [
    nameColumn,
    column(
      'Data',
      (map) => Object.keys(readRecord(map, 'data')).length + Object.keys(readRecord(map, 'binaryData')).length,
      0,
      'integer',
    ),
    ageColumn,
  ],
  ResourceQuota: [
    nameColumn,
    ageColumn,
    column('Request', (quota) => quotaUsage(quota, false)),
    column('Limit', (quota) => quotaUsage(quota, true)),
  ],
};
