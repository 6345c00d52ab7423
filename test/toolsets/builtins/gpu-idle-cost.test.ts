import { describe, expect, it } from 'vitest';
import { findIdleHolders } from '../../../src/toolsets/builtins/gpu-idle-cost.js';

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
