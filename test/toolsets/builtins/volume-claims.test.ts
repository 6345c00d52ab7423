import { describe, expect, it } from 'vitest';
import { volumeClaims } from '../../../src/toolsets/builtins/volume-claims.js';
import { volumeUsage } from '../../../src/toolsets/builtins/volume-usage.js';
import { fakeKube, fakePrometheus } from '../fake-clients.js';
import { context, event, object } from './kube-objects.js';

const withClaim = (name: string, claim: string, phase = 'Running') =>
  object('Pod', name, 'kb', {
    spec: {
      containers: [{ name: 'main' }],
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: claim } },
        { name: 'cfg', configMap: { name: 'cfg' } },
      ],
    },
    status: { phase },
  });

describe('volumeClaims', () => {
  it('finds a claim Pending on a StorageClass that does not exist', async () => {
    const kube = fakeKube({
      objects: [
        withClaim('store-0', 'data-store-0', 'Pending'),
        object('PersistentVolumeClaim', 'data-store-0', 'kb', {
          spec: { storageClassName: 'gp3-encrypted', accessModes: ['ReadWriteOnce'] },
          status: { phase: 'Pending' },
        }),
        object('StorageClass', 'gp3', undefined, {
          metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        }),
        event(
          'kb',
          { kind: 'PersistentVolumeClaim', name: 'data-store-0' },
          'ProvisioningFailed',
          'storageclass.storage.k8s.io "gp3-encrypted" not found',
        ),
      ],
    });
    const output = await volumeClaims({ namespace: 'kb', workload: 'store' }, context(kube));
    expect(output.data).toMatchObject({
      unbound: ['data-store-0'],
      missingClasses: ['gp3-encrypted'],
      claims: [{ name: 'data-store-0', phase: 'Pending', storageClass: 'gp3-encrypted', storageClassExists: false }],
      provisioningFailures: [
        { claim: 'data-store-0', problem: 'ProvisioningFailed: storageclass.storage.k8s.io "gp3-encrypted" not found' },
      ],
    });
  });

  it('reads Multi-Attach with the pod holding the volume, and leaves missing ConfigMaps to their own check', async () => {
    const kube = fakeKube({
      objects: [
        withClaim('render-6b8c7d9f5-bt4xn', 'cache', 'Pending'),
        object('PersistentVolumeClaim', 'cache', 'kb', {
          spec: { storageClassName: 'gp3', accessModes: ['ReadWriteOnce'] },
          status: { phase: 'Bound' },
        }),
        object('StorageClass', 'gp3', undefined),
        event(
          'kb',
          { kind: 'Pod', name: 'render-6b8c7d9f5-bt4xn' },
          'FailedAttachVolume',
          'Multi-Attach error for volume "pvc-5e1f" Volume is already used by pod(s) render-6b8c7d9f5-7wq2k',
        ),
        event(
          'kb',
          { kind: 'Pod', name: 'render-6b8c7d9f5-bt4xn' },
          'FailedMount',
          'MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found',
        ),
      ],
    });
    const data = (await volumeClaims({ namespace: 'kb', workload: 'render' }, context(kube))).data as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(data.multiAttach).toEqual([
      { pod: 'render-6b8c7d9f5-bt4xn', volume: 'pvc-5e1f', heldBy: 'render-6b8c7d9f5-7wq2k' },
    ]);
    expect(data.mountFailures).toHaveLength(1);
    expect(data.unbound).toEqual([]);
  });

  it('keeps disk-full lines from the logs', async () => {
    const kube = fakeKube({
      objects: [
        withClaim('train-x7kqd', 'ckpt'),
        object('PersistentVolumeClaim', 'ckpt', 'kb', {
          spec: { storageClassName: 'ssd' },
          status: { phase: 'Bound' },
        }),
      ],
      logs: {
        'kb/train-x7kqd/main': "step 4500\nOSError: [Errno 28] No space left on device: '/ckpt/rng_state.pth'\n",
      },
    });
    const data = (await volumeClaims({ namespace: 'kb', pods: ['train-x7kqd'] }, context(kube))).data as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(data.diskErrors).toEqual([
      { pod: 'train-x7kqd', line: "OSError: [Errno 28] No space left on device: '/ckpt/rng_state.pth'" },
    ]);
  });
});

describe('volumeUsage', () => {
  const kube = fakeKube({ objects: [withClaim('train-x7kqd', 'ckpt')] });

  it('says the stats are not collected when the kubelet metrics are absent', async () => {
    const prometheus = fakePrometheus({ metricNames: ['up'] });
    const output = await volumeUsage({ namespace: 'kb', pods: ['train-x7kqd'] }, context(kube, prometheus));
    expect(output.missing?.metrics).toEqual(['kubelet_volume_stats_used_bytes', 'kubelet_volume_stats_capacity_bytes']);
  });

  it('gives the peak over the window and the latest value per claim', async () => {
    const prometheus = fakePrometheus({
      metricNames: ['kubelet_volume_stats_used_bytes', 'kubelet_volume_stats_capacity_bytes'],
      instant: (query) =>
        query.startsWith('max_over_time(')
          ? [{ labels: { persistentvolumeclaim: 'ckpt' }, value: [0, 0.9999] }]
          : query.startsWith('max by')
            ? [{ labels: { persistentvolumeclaim: 'ckpt' }, value: [0, 1.6e12] }]
            : [],
    });
    const output = await volumeUsage({ namespace: 'kb', pods: ['train-x7kqd'] }, context(kube, prometheus));
    expect(output.data).toEqual({
      claims: ['ckpt'],
      usage: [{ claim: 'ckpt', peak: 0.9999, last: null, capacityBytes: 1.6e12 }],
    });
    expect(prometheus.queries[0]).toContain('persistentvolumeclaim=~"ckpt"');
    // The fill over the window, the series whose peak the check reads.
    expect(output.graph).toMatchObject({
      title: 'Fill of ckpt (used ÷ capacity)',
      unit: 'ratio',
      series: [
        {
          query:
            'sum by (persistentvolumeclaim) (kubelet_volume_stats_used_bytes{namespace="kb", persistentvolumeclaim=~"ckpt"}) / sum by (persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{namespace="kb", persistentvolumeclaim=~"ckpt"})',
          legend: ['persistentvolumeclaim'],
          role: 'suspect',
        },
      ],
    });
  });

  it('draws no graph when no volume was reported', async () => {
    const prometheus = fakePrometheus({
      metricNames: ['kubelet_volume_stats_used_bytes', 'kubelet_volume_stats_capacity_bytes'],
    });
    const output = await volumeUsage({ namespace: 'kb', pods: ['train-x7kqd'] }, context(kube, prometheus));
    expect(output.status).toBe('no_data');
    expect(output.graph).toBeUndefined();
  });
});
