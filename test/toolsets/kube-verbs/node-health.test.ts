import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/kube-object.js';
import { nodeHealth } from '../../../src/toolsets/kube-verbs/node-health.js';
import { fakeKube } from '../fake-clients.js';

const NOW = new Date('2026-01-10T12:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

function node(
  name: string,
  ready: string,
  extra: Array<Record<string, unknown>> = [],
  taints: string[] = [],
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: { taints: taints.map((key) => ({ key, effect: 'NoExecute' })) },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: ready,
          reason: ready === 'True' ? 'KubeletReady' : 'NodeStatusUnknown',
          message: ready === 'True' ? 'kubelet is posting ready status' : 'Kubelet stopped posting node status.',
          lastTransitionTime: ago(14),
        },
        ...extra,
      ],
    },
  };
}

function pod(
  name: string,
  nodeName: string | undefined,
  status: Record<string, unknown>,
  deletedAgo?: number,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', ...(deletedAgo !== undefined ? { deletionTimestamp: ago(deletedAgo) } : {}) },
    spec: nodeName ? { nodeName } : {},
    status,
  };
}

const event = (kind: string, name: string, reason: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: `${name}.${reason}`, namespace: kind === 'Node' ? 'default' : 'shop' },
  involvedObject: { kind, name },
  reason,
  type: 'Warning',
});

async function run(objects: KubeObject[], params: Record<string, unknown>) {
  const output = await nodeHealth(params, { kube: fakeKube({ objects }), now: NOW });
  return { output, data: output.data as Record<string, unknown> };
}

describe('nodeHealth', () => {
  it('reports a node whose kubelet stopped posting, the pods it took and the events', async () => {
    const objects = [
      node('node-a', 'Unknown', [], ['node.kubernetes.io/unreachable']),
      node('node-b', 'True'),
      pod('api-1', 'node-a', {
        phase: 'Running',
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager' },
        ],
      }),
      pod('cache-0', 'node-a', { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }, 6),
      pod('api-2', undefined, { phase: 'Pending' }),
      pod('web-1', 'node-b', { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }),
      event('Node', 'node-a', 'NodeNotReady'),
      event('Pod', 'api-1', 'TaintManagerEviction'),
      event('Node', 'node-b', 'Starting'),
    ];
    const { data, output } = await run(objects, { nodes: ['node-a'], pods: ['api-1', 'api-2'] });
    expect(data.unhealthy).toEqual(['node-a']);
    expect(data.notReady).toEqual(['node-a (Ready=Unknown, NodeStatusUnknown, since 14m)']);
    expect(data.message).toBe('Kubelet stopped posting node status');
    expect(data.lostPods).toEqual(['api-1 on node-a', 'cache-0 on node-a']);
    // Only the pod already being deleted is stuck Terminating; the taint manager's target is not yet.
    expect(data.stuck).toEqual([{ namespace: 'shop', pod: 'cache-0', node: 'node-a', owner: null }]);
    expect(data.pendingPods).toEqual(['api-2']);
    expect(data.events).toEqual(['node-a: NodeNotReady', 'api-1: TaintManagerEviction']);
    expect(output.text).toContain('taints node.kubernetes.io/unreachable');
  });

  it('reports pressure on a Ready node and evicted pods', async () => {
    const objects = [
      node('node-b', 'True', [{ type: 'DiskPressure', status: 'True', lastTransitionTime: ago(5) }]),
      pod('batch-1', 'node-b', { phase: 'Failed', reason: 'Evicted' }),
    ];
    const { data } = await run(objects, { nodes: ['node-b'] });
    expect(data.unhealthy).toEqual(['node-b']);
    expect(data.notReady).toEqual([]);
    expect(data.pressure).toEqual(['node-b DiskPressure since 5m']);
    expect(data.lostPods).toEqual(['batch-1 on node-b']);
    expect(data.stuck).toEqual([]);
  });

  it('finds nothing wrong on healthy nodes, and a pod shutting down normally is not lost', async () => {
    const objects = [
      node('node-b', 'True', [{ type: 'MemoryPressure', status: 'False', lastTransitionTime: ago(600) }]),
      pod('web-1', 'node-b', { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }, 0.5),
    ];
    const { data, output } = await run(objects, { nodes: ['node-b'] });
    expect(output.status).toBe('success');
    expect(data).toMatchObject({ unhealthy: [], lostPods: [], events: [] });
  });

  it('says when none of the nodes exists', async () => {
    const { output } = await run([node('node-b', 'True')], { nodes: ['node-z'] });
    expect(output.status).toBe('no_data');
    expect(output.text).toContain('node-z');
  });
});
