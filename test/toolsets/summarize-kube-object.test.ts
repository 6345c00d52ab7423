import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/kube-object.js';
import { podState, summarizeKubeObject } from '../../src/toolsets/summarize-kube-object.js';

const NOW = new Date('2026-01-10T12:00:00Z');

const CRASHING: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'indexer-7c9-x7kqp', namespace: 'commerce', creationTimestamp: '2026-01-10T10:00:00Z' },
  spec: {
    nodeName: 'ip-10-0-7-23',
    containers: [
      { name: 'indexer', image: 'indexer:1.4', resources: { limits: { memory: '2Gi', 'nvidia.com/gpu': '1' } } },
      { name: 'proxy', image: 'envoy:1.30' },
    ],
  },
  status: {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'indexer',
        ready: false,
        restartCount: 7,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } },
        lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-01-10T11:58:00Z' } },
      },
      { name: 'proxy', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-10T10:00:05Z' } } },
    ],
  },
};

describe('podState', () => {
  it('reads readiness, restarts, waiting reasons, the last termination and GPUs of a pod', () => {
    expect(podState(CRASHING)).toEqual({
      phase: 'Running',
      ready: '1/2',
      restarts: 7,
      waiting: ['indexer: CrashLoopBackOff'],
      lastTerminated: ['indexer: OOMKilled exit 137'],
      gpus: 1,
      images: ['indexer:1.4', 'envoy:1.30'],
    });
  });
});

describe('summarizeKubeObject', () => {
  it('puts CrashLoopBackOff and OOMKilled with its exit code on one line for a crash-looping pod', () => {
    expect(summarizeKubeObject(CRASHING, NOW)).toBe(
      'Pod commerce/indexer-7c9-x7kqp (age 2h): Running, ready 1/2, restarts 7, waiting [indexer: CrashLoopBackOff], last terminated [indexer: OOMKilled exit 137], gpus 1, node ip-10-0-7-23',
    );
  });

  it('summarises a Deployment with its replicas, image and conditions', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'chat-api', namespace: 'llm', creationTimestamp: '2025-12-01T12:00:00Z' },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0' }] } } },
      status: {
        readyReplicas: 2,
        updatedReplicas: 3,
        availableReplicas: 2,
        conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }],
      },
    };

    expect(summarizeKubeObject(deployment, NOW)).toBe(
      'Deployment llm/chat-api (age 40d): replicas 2/3 ready, 3 updated, 2 available; image vllm/vllm-openai:v0.11.0; Available=False(MinimumReplicasUnavailable)',
    );
  });

  it('summarises a Node with readiness, GPUs, product and cordon', () => {
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'gpu-a100-07',
        creationTimestamp: '2025-12-01T12:00:00Z',
        labels: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' },
      },
      spec: { unschedulable: true },
      status: {
        allocatable: { 'nvidia.com/gpu': '8' },
        conditions: [
          { type: 'MemoryPressure', status: 'False' },
          { type: 'Ready', status: 'True', reason: 'KubeletReady' },
        ],
      },
    };

    expect(summarizeKubeObject(node, NOW)).toBe(
      'Node gpu-a100-07 (age 40d): Ready=True(KubeletReady), gpus 8 (NVIDIA-A100-SXM4-80GB), unschedulable',
    );
  });

  it('summarises an Event with its age, count, type, reason, object and message', () => {
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'indexer.1', namespace: 'commerce' },
      involvedObject: { kind: 'Pod', name: 'indexer-7c9-x7kqp' },
      type: 'Warning',
      reason: 'BackOff',
      count: 31,
      lastTimestamp: '2026-01-10T11:57:00Z',
      message: 'Back-off restarting failed container indexer ',
    };

    expect(summarizeKubeObject(event, NOW)).toBe(
      '3m ago (x31) Warning BackOff Pod/indexer-7c9-x7kqp: Back-off restarting failed container indexer',
    );
  });

  it('names an object of a kind it has no summary for', () => {
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'leader', namespace: 'kube-system', creationTimestamp: '2026-01-10T11:00:00Z' },
    };

    expect(summarizeKubeObject(lease, NOW)).toBe('Lease kube-system/leader (age 1h)');
  });
});
