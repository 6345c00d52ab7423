import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/telemetry/kube-types.js';
import { findIdleHolders, idleGpuCost } from '../../../src/toolsets/builtins/gpu-idle-cost.js';
import { fakePrometheus } from '../fake-clients.js';
import { context, NOW } from './kube-objects.js';

const holder = (
  pod: string,
  gpus: number,
  activity: number | null,
  heldHours: number | null,
  usdPerHour: number | null = null,
) => ({
  namespace: 'research',
  pod,
  node: 'a3-h100-4',
  gpus,
  activity,
  heldHours,
  usdPerHour,
});

describe('findIdleHolders', () => {
  it('counts pods idle for the whole window, with their share of the GPUs and their cost', () => {
    const findings = findIdleHolders(
      [holder('jupyter-a', 2, 0.002, 9, 22), holder('jupyter-b', 1, 0.01, 5.5, 11), holder('eval-job', 1, 0.4, 3, 11)],
      1,
      0.05,
    );

    expect(findings.idle.map((row) => row.pod)).toEqual(['jupyter-a', 'jupyter-b']);
    expect(findings.idleGpus).toBe(3);
    expect(findings.heldGpus).toBe(4);
    expect(findings.idleShare).toBe(0.75);
    expect(findings.idleUsdPerHour).toBe(33);
  });

  it('tells a pod that only just started (loading a model) from an idle reservation', () => {
    const findings = findIdleHolders([holder('trainer-new', 1, 0, 0.2)], 1, 0.05);

    expect(findings.idle).toEqual([]);
    expect(findings.fresh.map((row) => row.pod)).toEqual(['trainer-new']);
  });

  it('sets a quiet pod of unknown start apart, and leaves the idle share unknown, when no source dates it', () => {
    const findings = findIdleHolders([holder('jupyter-a', 2, 0.001, null), holder('busy', 2, 0.6, 12)], 1, 0.05);

    expect(findings.idle).toEqual([]);
    expect(findings.unknownStart.map((row) => row.pod)).toEqual(['jupyter-a']);
    expect(findings.idleShare).toBeNull();
  });

  it('does not call a pod idle when its activity was never measured', () => {
    const findings = findIdleHolders([holder('unknown', 1, null, 10)], 1, 0.05);

    expect(findings.idleGpus).toBe(0);
    expect(findings.idleShare).toBe(0);
  });
});

describe('idleGpuCost without the Kubernetes API', () => {
  const startedSeconds = NOW.getTime() / 1000 - 9 * 3600;
  const prometheus = () =>
    fakePrometheus({
      metricNames: ['kube_pod_container_resource_requests', 'DCGM_FI_DEV_GPU_UTIL', 'kube_pod_start_time'],
      instant: (query) => {
        if (query.startsWith('count by (exported_pod, pod) (DCGM_FI_DEV_GPU_UTIL)'))
          return [{ labels: { pod: 'jupyter-a' }, value: [0, 1] }];
        if (query.includes('kube_pod_container_resource_requests'))
          return [{ labels: { namespace: 'research', pod: 'jupyter-a', node: 'a3-h100-4' }, value: [0, 2] }];
        if (query.includes('DCGM_FI_DEV_GPU_UTIL'))
          return [{ labels: { namespace: 'research', pod: 'jupyter-a' }, value: [0, 0.001] }];
        if (query.includes('kube_pod_start_time'))
          return [{ labels: { namespace: 'research', pod: 'jupyter-a' }, value: [0, startedSeconds] }];
        return [];
      },
    });

  it('takes how long a pod has held its GPUs from kube_pod_start_time when no Kubernetes client is configured', async () => {
    const client = prometheus();
    const output = await idleGpuCost({ namespace: 'research', window: '1h' }, context(undefined, client));
    const findings = output.data as { idle: Array<{ pod: string; heldHours: number }> };
    expect(findings.idle.map((row) => [row.pod, row.heldHours])).toEqual([['jupyter-a', 9]]);
    expect(
      client.queries.some((query) => query.includes('kube_pod_start_time{namespace=~"research", pod=~"jupyter-a"}')),
    ).toBe(true);
  });

  it('falls back to kube_pod_start_time when the Kubernetes API does not answer', async () => {
    const unreachable = {
      list: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.1:443');
      },
    } as unknown as KubeClient;
    const output = await idleGpuCost({ namespace: 'research', window: '1h' }, context(unreachable, prometheus()));
    expect(output.status).toBe('success');
    expect((output.data as { idle: Array<{ heldHours: number }> }).idle[0]!.heldHours).toBe(9);
  });
});
