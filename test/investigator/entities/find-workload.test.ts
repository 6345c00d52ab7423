import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/kube-object.js';
import { findWorkload, findWorkloadPods } from '../../../src/investigator/entities/find-workload.js';
import { pod, stateFor, stepToolbox } from './step-toolbox.js';

/** A pod owned by `owner` (`Kind/name`), with labels. */
function owned(name: string, owner: string, labels: Record<string, string> = {}): KubeObject {
  const [kind, ownerName] = owner.split('/') as [string, string];
  return {
    ...pod(name, 'ns'),
    metadata: { name, namespace: 'ns', labels, ownerReferences: [{ kind, name: ownerName, controller: true }] },
  } as KubeObject;
}

const top = (kind: string, name: string) => ({ kind, metadata: { name } });

/** owner_chain answering from a map of pod name → top of its chain. */
function chains(tops: Record<string, { kind: string; metadata: { name: string } }>) {
  return stepToolbox({
    owner_chain: (params) => {
      const found = tops[String(params.name)];
      return found ? { chain: [pod(String(params.name), 'ns'), found] } : undefined;
    },
    kubernetes_list: () => [],
  });
}

describe('findWorkload', () => {
  it("takes the top of the pods' owner chain when the alert named none", async () => {
    const { toolbox } = chains({ p: top('Rollout', 'canary') });
    const state = stateFor({ namespace: 'ns' }, toolbox);
    state.pods = [owned('p', 'ReplicaSet/canary-5d8f')];
    await findWorkload(state);
    expect(state.entities.workload).toEqual({ kind: 'Rollout', name: 'canary' });
  });

  it("names one Rollout across its stable and canary ReplicaSets, from Argo's rollouts-pod-template-hash", async () => {
    const { toolbox, calls } = chains({ 'web-5d8f-x': top('Rollout', 'web'), 'web-77c9-y': top('Rollout', 'web') });
    const state = stateFor({ namespace: 'ns' }, toolbox);
    state.pods = [
      owned('web-5d8f-x', 'ReplicaSet/web-5d8f', { 'rollouts-pod-template-hash': '5d8f' }),
      owned('web-77c9-y', 'ReplicaSet/web-77c9', { 'rollouts-pod-template-hash': '77c9' }),
    ];
    await findWorkload(state);
    expect(state.entities.workload).toEqual({ kind: 'Rollout', name: 'web' });
    // Both ReplicaSets fold into one owner: one chain read.
    expect(calls.filter((call) => call.tool === 'owner_chain')).toHaveLength(1);
  });

  it("names the LeaderWorkerSet when its leader and worker StatefulSets' pods all lead to it", async () => {
    const lws = top('LeaderWorkerSet', 'vllm');
    const { toolbox } = chains({ 'vllm-0': lws, 'vllm-0-1': lws });
    const state = stateFor({ namespace: 'ns' }, toolbox);
    state.pods = [owned('vllm-0', 'StatefulSet/vllm'), owned('vllm-0-1', 'StatefulSet/vllm-0')];
    await findWorkload(state);
    expect(state.entities.workload).toEqual({ kind: 'LeaderWorkerSet', name: 'vllm' });
  });

  it('names none when the pods lead to different tops, or belong to more owners than one workload has', async () => {
    const { toolbox } = chains({ 'web-5d8f-x': top('Deployment', 'web'), 'sandbox-0': top('StatefulSet', 'sandbox') });
    const mixed = stateFor({ namespace: 'ns' }, toolbox);
    mixed.pods = [
      owned('web-5d8f-x', 'ReplicaSet/web-5d8f', { 'pod-template-hash': '5d8f' }),
      owned('sandbox-0', 'StatefulSet/sandbox'),
    ];
    await findWorkload(mixed);
    expect(mixed.entities.workload).toBeUndefined();
    expect(mixed.entities.notes).toContain('pods of 2 workloads: no single workload');
    const many = stateFor({ namespace: 'ns' }, toolbox);
    many.pods = ['a', 'b', 'c', 'd', 'e'].map((name) => owned(`${name}-0`, `StatefulSet/${name}`));
    await findWorkload(many);
    expect(many.entities.workload).toBeUndefined();
    expect(many.entities.notes).toContain('pods of 5 workloads: no single workload');
  });
});

describe('findWorkloadPods', () => {
  const lws = top('LeaderWorkerSet', 'vllm');
  const namespacePods = [
    owned('vllm-0', 'StatefulSet/vllm', { 'leaderworkerset.sigs.k8s.io/name': 'vllm' }),
    owned('vllm-0-1', 'StatefulSet/vllm-0', { 'leaderworkerset.sigs.k8s.io/name': 'vllm' }),
    owned('vllm-1-1', 'StatefulSet/vllm-1', { 'leaderworkerset.sigs.k8s.io/name': 'vllm' }),
    // Named like the workload, owned by something else: stays out.
    owned('vllm-proxy-7c9-z', 'ReplicaSet/vllm-proxy-7c9', { 'pod-template-hash': '7c9' }),
    owned('other-0', 'StatefulSet/other'),
  ];

  it("adds a custom workload's other pods whose owner chain ends at it", async () => {
    const { toolbox } = stepToolbox({
      kubernetes_list: () => namespacePods,
      owner_chain: (params) => ({
        chain: [{}, String(params.name).startsWith('vllm-proxy') ? top('Deployment', 'vllm-proxy') : lws],
      }),
    });
    const state = stateFor({ namespace: 'ns' }, toolbox);
    state.pods = [namespacePods[0]!];
    state.entities.workload = { kind: 'LeaderWorkerSet', name: 'vllm' };
    await findWorkloadPods(state);
    expect(state.pods.map((entry) => entry.metadata.name)).toEqual(['vllm-0', 'vllm-0-1', 'vllm-1-1']);
    expect(state.entities.notes).toContain('2 more pods of LeaderWorkerSet vllm through their owners');
  });

  it('looks no further for kinds whose selector already picks every pod', async () => {
    const { toolbox, calls } = stepToolbox({ kubernetes_list: () => namespacePods });
    const state = stateFor({ namespace: 'ns' }, toolbox);
    state.pods = [namespacePods[0]!];
    state.entities.workload = { kind: 'Deployment', name: 'vllm' };
    await findWorkloadPods(state);
    expect(state.pods).toHaveLength(1);
    expect(calls).toEqual([]);
  });
});
