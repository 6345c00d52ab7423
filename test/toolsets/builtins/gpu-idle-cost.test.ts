import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/telemetry/kube-types.js';
import { findIdleHolders, idleGpuCost } from '../../../src/toolsets/builtins/gpu-idle-cost.js';
import { BUILTINS } from '../../../src/toolsets/builtins/index.js';
import { BUILTIN_TOOLSETS_DIR, loadToolsets } from '../../../src/toolsets/load-toolsets.js';
import type { ToolContext } from '../../../src/toolsets/tool-context.js';
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

const { toolsets } = await loadToolsets({
  directories: [BUILTIN_TOOLSETS_DIR],
  builtins: new Set(Object.keys(BUILTINS)),
});
const costToolset = toolsets.find(({ spec }) => spec.id === 'cost/gpu')!.spec;
const GRAPH_NOW = Date.parse('2026-12-02T17:00:00Z');
const ALERT = GRAPH_NOW - 11 * 60_000;

/** A namespace whose pods hold one GPU each (kube-state-metrics), with their mean activity and start times. */
function namespace(shape: 'plain' | 'exported', metric: string, activity: Record<string, number>): ToolContext {
  const names =
    shape === 'exported' ? { ns: 'exported_namespace', pod: 'exported_pod' } : { ns: 'namespace', pod: 'pod' };
  const prometheus = fakePrometheus({
    metricNames: [metric, 'kube_pod_container_resource_requests', 'kube_pod_start_time'],
    instant: (query) => {
      if (query.startsWith('count by (exported_pod, pod)')) return [{ labels: { [names.pod]: 'x' }, value: [0, 1] }];
      const pods = Object.entries(activity);
      if (query.includes('kube_pod_container_resource_requests'))
        return pods.map(([pod]) => ({ labels: { namespace: 'research', pod, node: 'h100-4' }, value: [0, 1] }));
      if (query.includes('kube_pod_start_time'))
        return pods.map(([pod]) => ({
          labels: { namespace: 'research', pod },
          value: [0, (GRAPH_NOW - 9 * 3_600_000) / 1000],
        }));
      if (query.includes(metric))
        return pods.map(([pod, value]) => ({
          labels: { [names.ns]: 'research', [names.pod]: pod },
          value: [0, value],
        }));
      return [];
    },
  });
  return { prometheus, kube: undefined, now: () => new Date(GRAPH_NOW), toolset: costToolset, signals: new Map() };
}

describe('idleGpuCost graph', () => {
  it('draws the idle holders’ GPU activity under the idle threshold the check gave, with the alert’s start', async () => {
    const result = await idleGpuCost(
      { namespace: 'research', window: '1h', idle_threshold: 0.1, alert_start: new Date(ALERT).toISOString() },
      namespace('plain', 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', { 'jupyter-a': 0.02, 'jupyter-b': 0.01, trainer: 0.8 }),
    );
    expect((result.data as { idle: unknown[] }).idle).toHaveLength(2);
    expect(result.graph).toMatchObject({
      title: 'GPU activity of the idle GPU holders of research',
      unit: 'ratio',
      threshold: { value: 0.1, label: 'idle under' },
      alertStart: new Date(ALERT).toISOString(),
      end: new Date(GRAPH_NOW).toISOString(),
      series: [
        {
          query:
            'max by (namespace, pod) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{namespace="research", pod=~"(?:jupyter-a|jupyter-b)"})',
          legend: ['pod'],
          role: 'suspect',
        },
      ],
    });
    expect(result.graph?.onset).toBeUndefined();
  });

  it('draws every holder as context when none is idle, from GPU_UTIL of whole GPUs in exported_* labels', async () => {
    const result = await idleGpuCost(
      { namespace: 'research', window: '1h', idle_threshold: 0.05 },
      namespace('exported', 'DCGM_FI_DEV_GPU_UTIL', { trainer: 0.8 }),
    );
    expect(result.graph?.series).toEqual([
      {
        query:
          'max by (exported_namespace, exported_pod) (DCGM_FI_DEV_GPU_UTIL{exported_namespace="research", exported_pod=~"trainer", GPU_I_ID=""}) / 100',
        legend: ['exported_pod'],
        role: 'context',
      },
    ]);
    expect(result.graph?.threshold?.value).toBe(0.05);
  });

  it('gives no graph when no GPU activity is collected', async () => {
    const result = await idleGpuCost(
      { namespace: 'research' },
      namespace('plain', 'DCGM_FI_DEV_FB_USED', { trainer: 0.8 }),
    );
    expect(result.status).toBe('success');
    expect(result.graph).toBeUndefined();
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
