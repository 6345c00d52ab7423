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

describe('recentRollouts on an Argo Rollout', () => {
  const owner = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'pricer', uid: 'r', controller: true };
  const set = (hash: string, createdAgo: number, image: string, revision: string): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `pricer-${hash}`,
      namespace: 'shop',
      creationTimestamp: ago(createdAgo),
      labels: { 'rollouts-pod-template-hash': hash },
      annotations: { 'rollout.argoproj.io/revision': revision },
      ownerReferences: [owner],
    },
    spec: { template: { spec: { containers: [{ name: 'pricer', image }] } } },
  });
  const rollout = (status: Record<string, unknown>): KubeObject => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'pricer', namespace: 'shop' },
    spec: {
      strategy: {
        canary: {
          steps: [
            { setWeight: 10 },
            { pause: { duration: '10m' } },
            { setWeight: 30 },
            { pause: {} },
            { setWeight: 60 },
          ],
        },
      },
    },
    status,
  });
  const sets = [set('6b8f', 3000, 'pricer:5.2.3', '26'), set('7d9c', 27, 'pricer:5.3.0', '27')];

  async function canaryOf(status: Record<string, unknown>) {
    const output = await recentRollouts(
      { namespace: 'shop', pods: ['pricer-7d9c-abcde'], within: '6h', alert_start: ago(10) },
      { kube: fakeKube({ objects: [...sets, rollout(status)] }), now: NOW },
    );
    return output;
  }

  it('names the canary and stable ReplicaSets, the step and weight reached, the pause and the analysis', async () => {
    const output = await canaryOf({
      stableRS: '6b8f',
      currentPodHash: '7d9c',
      currentStepIndex: 3,
      phase: 'Paused',
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: ago(14) }],
      canary: { currentBackgroundAnalysisRunStatus: { name: 'pricer-7d9c-27', status: 'Running' } },
    });
    const data = output.data as { canary: Record<string, unknown>; ours: Array<{ revision: string }> };
    expect(data.ours[0]!.revision).toBe('27');
    expect(data.canary).toMatchObject({
      rollout: 'pricer',
      canaryReplicaSet: 'pricer-7d9c',
      stableReplicaSet: 'pricer-6b8f',
      inProgress: true,
      step: 3,
      steps: 5,
      weight: 30,
      pausedBy: ['CanaryPauseStep'],
      pausedMinutesBeforeAlert: 4,
      analysis: [{ run: 'background', name: 'pricer-7d9c-27', status: 'Running', message: null }],
      analysisFailing: false,
      aborted: false,
    });
    expect(output.text).toContain(
      'Rollout pricer (Paused): canary pricer-7d9c against stable pricer-6b8f, step 3 of 5, weight 30%, paused (CanaryPauseStep), background analysis pricer-7d9c-27 Running',
    );
  });

  it('says when the canary was aborted and its analysis failed, and takes the traffic router weight when set', async () => {
    const output = await canaryOf({
      stableRS: '6b8f',
      currentPodHash: '7d9c',
      currentStepIndex: 1,
      abort: true,
      abortedAt: ago(25),
      canary: {
        currentStepAnalysisRunStatus: {
          name: 'pricer-7d9c-27-1',
          status: 'Failed',
          message: 'metric "errors" assessed Failed',
        },
        weights: { canary: { weight: 0 } },
      },
    });
    expect((output.data as { canary: Record<string, unknown> }).canary).toMatchObject({
      inProgress: true,
      weight: 0,
      analysisFailing: true,
      aborted: true,
      abortedMinutesBeforeAlert: 15,
    });
  });

  it('reports no canary between versions once promoted, and none for a Deployment', async () => {
    const promoted = await canaryOf({ stableRS: '7d9c', currentPodHash: '7d9c', currentStepIndex: 5 });
    expect((promoted.data as { canary: Record<string, unknown> }).canary).toMatchObject({
      inProgress: false,
      weight: 100,
    });
    const deployment = await recentRollouts(
      { namespace: 'shop', workload: 'cart', within: '6h', alert_start: ago(10) },
      {
        kube: fakeKube({
          objects: [replicaSet('cart-6b7d9c5f4', 2000, ['a'], '1'), replicaSet('cart-59f8d7c6b', 15, ['b'], '2')],
        }),
        now: NOW,
      },
    );
    expect((deployment.data as { canary: unknown }).canary).toBeNull();
  });
});

describe('recentRollouts when the Rollout cannot be read', () => {
  it('still lists what rolled out from the ReplicaSets, and says why the canary view is missing', async () => {
    const owner = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'pricer', uid: 'r', controller: true };
    const sets = ['6b8f', '7d9c'].map((hash, index) => ({
      ...replicaSet(`pricer-${hash}`, index === 0 ? 3000 : 20, [`pricer:${index}`], String(index)),
      metadata: {
        ...replicaSet(`pricer-${hash}`, index === 0 ? 3000 : 20, [`pricer:${index}`], String(index)).metadata,
        ownerReferences: [owner],
      },
    }));
    const kube = fakeKube({ objects: sets });
    const denied = {
      ...kube,
      get: async (kind: string, ...rest: Parameters<typeof kube.get> extends [string, ...infer R] ? R : never) => {
        if (kind === 'Rollout') throw new Error('403 Forbidden: rollouts.argoproj.io');
        return kube.get(kind, ...rest);
      },
    };
    const output = await recentRollouts(
      { namespace: 'shop', workload: 'pricer', within: '6h', alert_start: ago(10) },
      { kube: denied, now: NOW },
    );
    expect(output.status).toBe('success');
    expect(output.data).toMatchObject({
      ours: [{ replicaSet: 'pricer-7d9c', minutesBeforeAlert: 10 }],
      canary: null,
      canaryError: 'Rollout pricer not readable: 403 Forbidden: rollouts.argoproj.io',
    });
  });
});
