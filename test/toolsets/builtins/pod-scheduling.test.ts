import { describe, expect, it } from 'vitest';
import { podScheduling } from '../../../src/toolsets/builtins/pod-scheduling.js';
import { fakeKube } from '../fake-clients.js';
import { ago, context, event, object } from './kube-objects.js';

const gpuNode = (name: string, allocatable: Record<string, string>) =>
  object('Node', name, undefined, { status: { allocatable } });
const pod = (namespace: string, name: string, node: string | null, gpus: Record<string, string>, owner?: string) =>
  object('Pod', name, namespace, {
    metadata: {
      creationTimestamp: ago(20),
      ...(owner ? { ownerReferences: [{ kind: 'Job', name: owner, controller: true }] } : {}),
    },
    spec: {
      ...(node ? { nodeName: node } : {}),
      containers: [{ name: 'main', resources: { limits: gpus, requests: gpus } }],
    },
    status: node
      ? { phase: 'Running', startTime: ago(55) }
      : { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
  });
const gpuMessage =
  "0/5 nodes are available: 2 Insufficient nvidia.com/gpu, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/5 nodes are available: 2 No preemption victims found for incoming pod";

describe('podScheduling', () => {
  it('names the resource short, how much is free and the other pods holding it', async () => {
    const kube = fakeKube({
      objects: [
        gpuNode('gpu-1', { 'nvidia.com/gpu': '8' }),
        gpuNode('gpu-2', { 'nvidia.com/gpu': '8' }),
        gpuNode('cpu-1', {}),
        pod('serve', 'summarizer-6f8d9c7b54-abcde', 'gpu-1', { 'nvidia.com/gpu': '2' }),
        pod('serve', 'summarizer-6f8d9c7b54-pend1', null, { 'nvidia.com/gpu': '2' }),
        pod('research', 'sweep-a-x1', 'gpu-1', { 'nvidia.com/gpu': '6' }, 'sweep-a'),
        pod('research', 'sweep-b-x2', 'gpu-2', { 'nvidia.com/gpu': '8' }, 'sweep-b'),
        event('serve', { kind: 'Pod', name: 'summarizer-6f8d9c7b54-pend1' }, 'FailedScheduling', gpuMessage),
      ],
    });
    const output = await podScheduling({ namespace: 'serve', workload: 'summarizer' }, context(kube));
    const data = output.data as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(data.pendingCount).toBe(1);
    expect(data.totalNodes).toBe(5);
    expect(data.reasons.map((reason: { category: string }) => reason.category)).toEqual(['placement', 'resources']);
    expect(data.resources).toEqual([
      expect.objectContaining({
        resource: 'nvidia.com/gpu',
        requestedPerPod: 2,
        nodesOffering: 2,
        allocatable: 16,
        requested: 16,
        free: 0,
      }),
    ]);
    expect(
      data.resources[0].holders.map((holder: { pod: string; owner: string; count: number }) => [
        holder.pod,
        holder.owner,
        holder.count,
      ]),
    ).toEqual([
      ['sweep-b-x2', 'sweep-b', 8],
      ['sweep-a-x1', 'sweep-a', 6],
    ]);
    expect(output.text).toContain('held by: research/sweep-b-x2');
  });

  it('says what nodes offer instead when no node offers the MIG profile asked for', async () => {
    const kube = fakeKube({
      objects: [
        gpuNode('mig-1', { 'nvidia.com/mig-2g.20gb': '24', 'nvidia.com/gpu': '0' }),
        pod('ap', 'extractor-7b5c9d4f86-pend1', null, { 'nvidia.com/mig-1g.10gb': '1' }),
        event(
          'ap',
          { kind: 'Pod', name: 'extractor-7b5c9d4f86-pend1' },
          'FailedScheduling',
          '0/1 nodes are available: 1 Insufficient nvidia.com/mig-1g.10gb.',
        ),
      ],
    });
    const data = (await podScheduling({ namespace: 'ap', workload: 'extractor' }, context(kube))).data as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(data.resources[0]).toMatchObject({
      resource: 'nvidia.com/mig-1g.10gb',
      nodesOffering: 0,
      free: 0,
      offeredInstead: ['nvidia.com/mig-2g.20gb'],
    });
  });

  it('reports pods a full quota refused to create, and nothing Pending', async () => {
    const kube = fakeKube({
      objects: [
        object('ResourceQuota', 'gpu-quota', 'ml', {
          status: { hard: { 'requests.nvidia.com/gpu': '16' }, used: { 'requests.nvidia.com/gpu': '16' } },
        }),
        event(
          'ml',
          { kind: 'ReplicaSet', name: 'trainer-5f' },
          'FailedCreate',
          'Error creating: pods "trainer-5f-x" is forbidden: exceeded quota: gpu-quota, requested: requests.nvidia.com/gpu=8',
        ),
      ],
    });
    const output = await podScheduling({ namespace: 'ml', workload: 'trainer' }, context(kube));
    expect(output.status).toBe('success');
    expect(output.data).toMatchObject({
      pendingCount: 0,
      fullQuotas: [{ quota: 'gpu-quota', resource: 'requests.nvidia.com/gpu', used: '16', hard: '16' }],
      quotaDenials: [expect.stringContaining('exceeded quota: gpu-quota')],
    });
  });

  it('has no data when every pod of the workload is scheduled', async () => {
    const kube = fakeKube({ objects: [pod('serve', 'api-6f8d9c7b54-abcde', 'node-1', {})] });
    const output = await podScheduling({ namespace: 'serve', workload: 'api' }, context(kube));
    expect(output.status).toBe('no_data');
    expect(output.data).toMatchObject({ podCount: 1, pendingCount: 0, reasons: [], resources: [] });
  });
});
