import type { KubeObject } from '../../../src/core/kube-object.js';
import type { ScenarioLog } from '../../../src/lab/scenario.js';

/** A small frozen cluster, already defaulted as the scenario loader would hand it over. */
export const NOW = new Date('2025-06-01T12:00:00Z');

export function ago(minutes: number): string {
  return new Date(NOW.getTime() - minutes * 60_000).toISOString();
}

let version = 100;
function meta(name: string, namespace: string | undefined, minutesAgo: number, labels?: Record<string, string>) {
  version += 1;
  return {
    name,
    ...(namespace ? { namespace } : {}),
    uid: `uid-${name}`,
    resourceVersion: String(version),
    creationTimestamp: ago(minutesAgo),
    ...(labels ? { labels } : {}),
  };
}

function runningPod(name: string, labels: Record<string, string>, nodeName: string, containers: string[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, 'llm', 40, labels),
    spec: { nodeName, containers: containers.map((container) => ({ name: container, image: `${container}:1.0` })) },
    status: {
      phase: 'Running',
      podIP: '10.0.0.5',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: containers.map((container) => ({
        name: container,
        ready: true,
        restartCount: 0,
        state: { running: { startedAt: ago(40) } },
      })),
    },
  };
}

export const OBJECTS: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: meta('llm', undefined, 6000), status: { phase: 'Active' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: meta('batch', undefined, 6000), status: { phase: 'Active' } },
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta('gpu-node-1', undefined, 9000, { 'node-role.kubernetes.io/gpu': '' }),
    status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.30.2' } },
  },
  runningPod('chat-api-7d9f-x2', { app: 'chat-api', tier: 'frontend', track: 'stable' }, 'gpu-node-1', [
    'server',
    'proxy',
  ]),
  runningPod('chat-api-7d9f-k8', { app: 'chat-api', tier: 'frontend', track: 'canary' }, 'gpu-node-2', [
    'server',
    'proxy',
  ]),
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('embed-worker-0', 'llm', 12, { app: 'embed', tier: 'batch' }),
    spec: { nodeName: 'gpu-node-1', containers: [{ name: 'worker', image: 'embed:2.1' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'worker',
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: ago(2) } },
        },
      ],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('nightly-report-29x', 'batch', 90, { app: 'report' }),
    spec: { containers: [{ name: 'report', image: 'report:1' }] },
    status: {
      phase: 'Pending',
      containerStatuses: [
        { name: 'report', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } },
      ],
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('chat-api', 'llm', 3000, { app: 'chat-api' }),
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'chat-api' } },
      template: { spec: { containers: [{ name: 'server', image: 'server:1.0' }] } },
    },
    status: { replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 },
  },
  {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta('chat-api', 'llm', 3000),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat-api' },
      minReplicas: 1,
      maxReplicas: 2,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
      ],
    },
    status: {
      currentReplicas: 2,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 95 } } }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta('embed-worker-0.17a1', 'llm', 10),
    involvedObject: {
      kind: 'Pod',
      name: 'embed-worker-0',
      namespace: 'llm',
      uid: 'uid-embed-worker-0',
      fieldPath: 'spec.containers{worker}',
    },
    reason: 'BackOff',
    type: 'Warning',
    message: 'Back-off restarting failed container worker',
    count: 5,
    firstTimestamp: ago(10),
    lastTimestamp: ago(1),
    source: { component: 'kubelet', host: 'gpu-node-1' },
  },
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta('chat-api.17a2', 'llm', 30),
    involvedObject: { kind: 'Deployment', name: 'chat-api', namespace: 'llm', uid: 'uid-chat-api' },
    reason: 'ScalingReplicaSet',
    type: 'Normal',
    message: 'Scaled up replica set chat-api-7d9f to 2',
    count: 1,
    firstTimestamp: ago(30),
    lastTimestamp: ago(30),
    source: { component: 'deployment-controller' },
  },
];

export const LOGS: ScenarioLog[] = [
  {
    namespace: 'llm',
    pod: 'chat-api-7d9f-x2',
    container: 'server',
    previous: false,
    lines: [
      `${ago(20)} INFO server started`,
      `${ago(5)} WARN queue depth 120`,
      '  at handler (server.py:88)',
      `${ago(1)} ERROR p99 above 2s`,
    ],
  },
  {
    namespace: 'llm',
    pod: 'embed-worker-0',
    container: 'worker',
    previous: false,
    lines: ['loading model', 'allocating KV cache'],
  },
  {
    namespace: 'llm',
    pod: 'embed-worker-0',
    container: 'worker',
    previous: true,
    lines: ['loading model', 'CUDA out of memory. Tried to allocate 2.00 GiB'],
  },
];
