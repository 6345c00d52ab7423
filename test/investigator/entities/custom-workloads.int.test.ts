import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/core/alert.js';
import type { KubeObject } from '../../../src/core/kube-object.js';
import { resolveEntities } from '../../../src/investigator/resolve-entities.js';
import { startKubeApiServer, type KubeApiServer } from '../../../src/lab/kube-api/index.js';
import { loadScenario } from '../../../src/lab/load-scenario.js';
import { createKubeClient } from '../../../src/telemetry/kube-client.js';
import { createToolbox, type Toolbox } from '../../../src/toolsets/create-toolbox.js';

// The objects of test/fixtures/lab/custom-resources, with what a real cluster adds below.
const FIXTURE = fileURLToPath(new URL('../../fixtures/lab/custom-resources', import.meta.url));
const NOW = new Date('2025-06-01T12:00:00Z');
const created = '2025-06-01T10:00:00Z';

let server: KubeApiServer;
let toolbox: Toolbox;

const labelled = (object: KubeObject, labels: Record<string, string>): KubeObject => ({
  ...object,
  metadata: { ...object.metadata, labels: { ...object.metadata.labels, ...labels } },
});

function owned(kind: string, name: string, namespace: string, owner: Record<string, unknown>, extra = {}): KubeObject {
  return {
    apiVersion: kind === 'Pod' ? 'v1' : kind === 'Job' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: {
      name,
      namespace,
      creationTimestamp: created,
      ownerReferences: [{ controller: true, ...owner }],
      ...extra,
    },
    spec: kind === 'Pod' ? { nodeName: 'gpu-node-2', containers: [{ name: 'c', image: 'i' }] } : {},
  } as unknown as KubeObject;
}

beforeAll(async () => {
  const scenario = await loadScenario(FIXTURE, { now: NOW });
  // LeaderWorkerSet's own labels on its pods, and a Service that selects the leaders only.
  const lws = { 'leaderworkerset.sigs.k8s.io/name': 'vllm-70b', 'leaderworkerset.sigs.k8s.io/group-index': '0' };
  const objects = scenario.objects.map((object) =>
    object.kind === 'Pod' && object.metadata.name === 'vllm-70b-0'
      ? labelled(object, { ...lws, 'leaderworkerset.sigs.k8s.io/worker-index': '0' })
      : object.kind === 'Pod' && object.metadata.name === 'vllm-70b-0-1'
        ? labelled(object, { ...lws, 'leaderworkerset.sigs.k8s.io/worker-index': '1' })
        : object,
  );
  const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'chat-api' };
  const jobset = { apiVersion: 'jobset.x-k8s.io/v1alpha2', kind: 'JobSet', name: 'trainer' };
  objects.push(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'vllm-70b', namespace: 'serving', creationTimestamp: created },
      spec: {
        selector: { 'leaderworkerset.sigs.k8s.io/name': 'vllm-70b', 'leaderworkerset.sigs.k8s.io/worker-index': '0' },
      },
    } as KubeObject,
    // The Rollout's stable ReplicaSet beside the canary the fixture holds.
    owned('ReplicaSet', 'chat-api-5f8d4', 'serving', rollout, {
      labels: { app: 'chat-api', 'rollouts-pod-template-hash': '5f8d4' },
    }),
    owned(
      'Pod',
      'chat-api-5f8d4-abcde',
      'serving',
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'chat-api-5f8d4' },
      { labels: { app: 'chat-api', 'rollouts-pod-template-hash': '5f8d4' } },
    ),
    // The JobSet's second Job and its pod.
    owned('Job', 'trainer-workers-1', 'training', jobset, { labels: { 'jobset.sigs.k8s.io/jobset-name': 'trainer' } }),
    owned(
      'Pod',
      'trainer-workers-1-0-x7k2p',
      'training',
      { apiVersion: 'batch/v1', kind: 'Job', name: 'trainer-workers-1' },
      {
        labels: {
          'jobset.sigs.k8s.io/jobset-name': 'trainer',
          'jobset.sigs.k8s.io/replicatedjob-name': 'workers',
          'jobset.sigs.k8s.io/job-index': '1',
          'batch.kubernetes.io/job-completion-index': '0',
        },
      },
    ),
  );
  server = await startKubeApiServer({ objects, logs: scenario.logs, now: NOW });
  toolbox = await createToolbox({ kube: createKubeClient({ server: server.url }), now: () => NOW });
});

afterAll(async () => {
  await server?.close();
});

const alert = (labels: Record<string, string>) =>
  ({ labels: { alertname: 'Test', ...labels }, annotations: {}, startsAt: '2025-06-01T11:50:00Z' }) as unknown as Alert;

describe('resolveEntities with custom workloads', () => {
  it("names the LeaderWorkerSet behind a Service that selects its leaders, with its workers' pods and roles", async () => {
    const entities = await resolveEntities(alert({ namespace: 'serving', service: 'vllm-70b' }), toolbox);
    expect(entities.workload).toEqual({ kind: 'LeaderWorkerSet', name: 'vllm-70b' });
    expect(entities.pods).toEqual([
      { namespace: 'serving', name: 'vllm-70b-0', node: 'gpu-node-1', role: 'group 0 leader' },
      { namespace: 'serving', name: 'vllm-70b-0-1', node: 'gpu-node-1', role: 'group 0 worker 1' },
    ]);
    expect(entities.notes).toContain('1 more pods of LeaderWorkerSet vllm-70b through their owners');
  });

  it("names one Argo Rollout across its stable and canary ReplicaSets' pods", async () => {
    const entities = await resolveEntities(alert({ namespace: 'serving', service: 'chat-api' }), toolbox);
    expect(entities.workload).toEqual({ kind: 'Rollout', name: 'chat-api' });
    expect(entities.pods.map((pod) => pod.name).sort()).toEqual(['chat-api-5f8d4-abcde', 'chat-api-6b7c9-fghij']);
  });

  it("gathers every Job's pods of a JobSet from the one pod an alert names", async () => {
    const entities = await resolveEntities(alert({ namespace: 'training', pod: 'trainer-workers-0-0-k2x9q' }), toolbox);
    expect(entities.workload).toEqual({ kind: 'JobSet', name: 'trainer' });
    expect(entities.pods.map((pod) => [pod.name, pod.role])).toEqual([
      ['trainer-workers-0-0-k2x9q', undefined],
      ['trainer-workers-1-0-x7k2p', 'workers 1, pod 0'],
    ]);
    expect(entities.nodes).toEqual(['gpu-node-1', 'gpu-node-2']);
  });
});
