import { describe, expect, it } from 'vitest';
import { findIdleHolders, idleGpuCost } from '../../../src/toolsets/builtins/gpu-idle-cost.js';
import { BUILTINS } from '../../../src/toolsets/builtins/index.js';
import { BUILTIN_TOOLSETS_DIR, loadToolsets } from '../../../src/toolsets/load-toolsets.js';
import type { ToolContext } from '../../../src/toolsets/tool-context.js';
import { fakePrometheus } from '../fake-clients.js';

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
const NOW = Date.parse('2026-12-02T17:00:00Z');
const ALERT = NOW - 11 * 60_000;

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
          value: [0, (NOW - 9 * 3_600_000) / 1000],
        }));
      if (query.includes(metric))
        return pods.map(([pod, value]) => ({
          labels: { [names.ns]: 'research', [names.pod]: pod },
          value: [0, value],
        }));
      return [];
    },
  });
  return { prometheus, kube: undefined, now: () => new Date(NOW), toolset: costToolset, signals: new Map() };
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
      end: new Date(NOW).toISOString(),
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
