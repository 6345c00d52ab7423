import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/kube-object.js';
import { recentRollouts } from '../../../src/toolsets/kube-verbs/recent-rollouts.js';
import { fakeKube } from '../fake-clients.js';

const NOW = new Date('2026-01-10T12:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

function replicaSet(name: string, createdAgo: number, images: string[], revision: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'shop',
      creationTimestamp: ago(createdAgo),
      annotations: { 'deployment.kubernetes.io/revision': revision },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart', uid: 'u', controller: true }],
    },
    spec: { template: { spec: { containers: images.map((image, index) => ({ name: `c${index}`, image })) } } },
  };
}

async function run(objects: KubeObject[]) {
  const output = await recentRollouts(
    { namespace: 'shop', workload: 'cart', within: '6h', alert_start: ago(10) },
    { kube: fakeKube({ objects }), now: NOW },
  );
  return output.data as { ours: Array<{ replicaSet: string; change: string; minutesBeforeAlert: number }> };
}

describe('recentRollouts', () => {
  it('says which image changed, and how long before the alert', async () => {
    const data = await run([
      replicaSet('cart-6b7d9c5f4', 2000, ['shop/cart:2.8.3', 'otel/collector:0.104.0'], '18'),
      replicaSet('cart-59f8d7c6b', 15, ['shop/cart:2.9.0', 'otel/collector:0.104.0'], '19'),
    ]);
    expect(data.ours).toMatchObject([
      {
        replicaSet: 'cart-59f8d7c6b',
        minutesBeforeAlert: 5,
        change: 'shop/cart:2.8.3,otel/collector:0.104.0 → shop/cart:2.9.0,otel/collector:0.104.0',
      },
    ]);
  });

  it('says when the pod template changed with the same image', async () => {
    const data = await run([
      replicaSet('cart-6b7d9c5f4', 2000, ['shop/cart:2.8.3'], '18'),
      replicaSet('cart-59f8d7c6b', 15, ['shop/cart:2.8.3'], '19'),
    ]);
    expect(data.ours[0]!.change).toBe('pod template changed, same image shop/cart:2.8.3');
  });
});
