import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/kube-object.js';
import { startKubeApiServer, type KubeApiServer } from '../../src/lab/kube-api/index.js';
import { loadScenario } from '../../src/lab/load-scenario.js';
import { createKubeClient } from '../../src/telemetry/kube-client.js';
import { createToolbox, type Toolbox } from '../../src/toolsets/create-toolbox.js';

// Every expected value below follows from test/fixtures/lab/custom-resources.
const FIXTURE = fileURLToPath(new URL('../fixtures/lab/custom-resources', import.meta.url));
const NOW = new Date('2025-06-01T12:00:00Z');

let server: KubeApiServer;
let toolbox: Toolbox;

beforeAll(async () => {
  const scenario = await loadScenario(FIXTURE, { now: NOW });
  server = await startKubeApiServer({ objects: scenario.objects, logs: scenario.logs, now: NOW });
  toolbox = await createToolbox({ kube: createKubeClient({ server: server.url }), now: () => NOW });
});

afterAll(async () => {
  await server?.close();
});

type Chain = { chain: KubeObject[]; workload: { apiVersion: string; kind: string; name: string; namespace?: string } };

async function ownerChain(kind: string, name: string, namespace: string): Promise<Chain> {
  const result = await toolbox.run('owner_chain', { kind, name, namespace });
  expect(result.status, result.text).toBe('success');
  return result.data as Chain;
}

const kinds = (chain: Chain) => chain.chain.map((object) => `${object.kind}/${object.metadata.name}`);

describe('the Kubernetes toolset on custom resources', () => {
  it('follows a pod up through its ReplicaSet to the Argo Rollout that owns it', async () => {
    const chain = await ownerChain('Pod', 'chat-api-6b7c9-fghij', 'serving');
    expect(kinds(chain)).toEqual(['Pod/chat-api-6b7c9-fghij', 'ReplicaSet/chat-api-6b7c9', 'Rollout/chat-api']);
    expect(chain.workload).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      name: 'chat-api',
      namespace: 'serving',
    });
  });

  it('follows training pods to their PyTorchJob and JobSet, and a worker pod through both StatefulSets to its LeaderWorkerSet', async () => {
    expect(kinds(await ownerChain('Pod', 'llama-ft-master-0', 'training'))).toEqual([
      'Pod/llama-ft-master-0',
      'PyTorchJob/llama-ft',
    ]);
    expect(kinds(await ownerChain('Pod', 'trainer-workers-0-0-k2x9q', 'training'))).toEqual([
      'Pod/trainer-workers-0-0-k2x9q',
      'Job/trainer-workers-0',
      'JobSet/trainer',
    ]);
    const worker = await ownerChain('Pod', 'vllm-70b-0-1', 'serving');
    expect(kinds(worker)).toEqual([
      'Pod/vllm-70b-0-1',
      'StatefulSet/vllm-70b-0',
      'Pod/vllm-70b-0',
      'StatefulSet/vllm-70b',
      'LeaderWorkerSet/vllm-70b',
    ]);
    expect(worker.workload.kind).toBe('LeaderWorkerSet');
    // Owners are read at the apiVersion their references name.
    expect(server.requests.map((request) => request.path)).toContain(
      '/apis/leaderworkerset.x-k8s.io/v1/namespaces/serving/leaderworkersets/vllm-70b',
    );
  });

  it('lists, gets and describes a custom resource by kind alone, found through discovery', async () => {
    const list = await toolbox.run('kubernetes_list', { kind: 'Rollout', namespace: 'serving' });
    expect(list.status).toBe('success');
    expect(list.text).toBe(
      '1 Rollout:\nRollout serving/chat-api (age 20d): Degraded; spec.replicas 2, replicas 2, updatedReplicas 1, availableReplicas 1; Progressing=False(RolloutAborted); RolloutAborted: Rollout aborted update to revision 7',
    );
    const get = await toolbox.run('kubernetes_get', {
      kind: 'pytorchjobs.kubeflow.org',
      name: 'llama-ft',
      namespace: 'training',
    });
    expect(get.text).toContain(
      'PyTorchJob training/llama-ft (age 6h): Created=True(PyTorchJobCreated) Running=True(PyTorchJobRunning)',
    );
    const describe = await toolbox.run('kubernetes_describe', {
      kind: 'Rollout',
      api_version: 'argoproj.io/v1alpha1',
      name: 'chat-api',
      namespace: 'serving',
    });
    expect(describe.status).toBe('success');
    expect(describe.text).toContain(
      'conditions:\n  Progressing=False RolloutAborted: Rollout aborted update to revision 7',
    );
    expect(describe.text).toContain('  spec.strategy.canary.steps[0].setWeight: 20');
    expect(describe.text).toContain('  status.phase: Degraded');
    expect(describe.text).toMatch(
      /events:\n.*Warning RolloutAborted Rollout\/chat-api: Rollout aborted update to revision 7/,
    );
  });

  it('lists the kinds the cluster serves, custom ones with their groups', async () => {
    const result = await toolbox.run('kubernetes_api_resources', { group: 'argoproj.io' });
    expect(result.text).toBe('1 kinds:\nRollout argoproj.io/v1alpha1 rollouts (ro)');
    const all = await toolbox.run('kubernetes_api_resources', {});
    expect(all.text).toContain('LeaderWorkerSet leaderworkerset.x-k8s.io/v1 leaderworkersets');
    expect(all.text).toContain('ScaledObject keda.sh/v1alpha1 scaledobjects');
    expect(all.text).not.toMatch(/\bSecret\b/);
  });

  it('reads the storage, network and RBAC kinds with a line that says what matters', async () => {
    const binding = await toolbox.run('kubernetes_get', {
      kind: 'rolebinding',
      name: 'chat-api-config-reader',
      namespace: 'serving',
    });
    expect(binding.text).toContain('Role/config-reader → ServiceAccount serving/chat-api');
    const policy = await toolbox.run('kubernetes_list', { kind: 'netpol', namespace: 'serving' });
    expect(policy.text).toContain('selects app=chat-api; Egress; 0 ingress and 1 egress rules');
    const claim = await toolbox.run('kubernetes_list', { kind: 'pvc', namespace: 'training' });
    expect(claim.text).toContain('Bound, capacity 500Gi');
    const storage = await toolbox.run('kubernetes_list', { kind: 'StorageClass' });
    expect(storage.text).toContain(
      'provisioner ebs.csi.aws.com, reclaim Delete, binding WaitForFirstConsumer, expansion false, default class',
    );
    const role = await toolbox.run('kubernetes_describe', {
      kind: 'Role',
      name: 'config-reader',
      namespace: 'serving',
    });
    expect(role.text).toContain('get,list configmaps (core)');
  });

  it('refuses Secrets under any group and sends the API server only GETs', async () => {
    const secret = await toolbox.run('kubernetes_list', { kind: 'secrets' });
    expect(secret.status).toBe('error');
    const grouped = await toolbox.run('kubernetes_get', {
      kind: 'Secret',
      api_version: 'example.com/v1',
      name: 'x',
      namespace: 'serving',
    });
    expect(grouped.status).toBe('error');
    expect(server.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    expect(server.requests.filter((request) => /secrets/.test(request.path))).toEqual([]);
  });
});
