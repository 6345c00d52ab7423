import { describe, expect, it } from 'vitest';
import { parseSchedulerMessage } from '../../../src/toolsets/diagnostics/scheduler-message.js';

describe('parseSchedulerMessage', () => {
  it('splits the reasons with their node counts and leaves the preemption part out', () => {
    const parsed = parseSchedulerMessage(
      "0/7 nodes are available: 3 Insufficient nvidia.com/gpu, 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/7 nodes are available: 3 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling.",
    );
    expect(parsed.totalNodes).toBe(7);
    expect(parsed.reasons).toEqual([
      { nodes: 3, reason: 'Insufficient nvidia.com/gpu', category: 'resources', resource: 'nvidia.com/gpu' },
      { nodes: 4, reason: "node(s) didn't match Pod's node affinity/selector", category: 'placement' },
    ]);
  });

  it('reads MIG profiles and taints with their values', () => {
    const parsed = parseSchedulerMessage(
      '0/5 nodes are available: 2 Insufficient nvidia.com/mig-1g.10gb, 3 node(s) had untolerated taint {sku: gpu}.',
    );
    expect(parsed.reasons.map((reason) => [reason.category, reason.resource ?? reason.reason])).toEqual([
      ['resources', 'nvidia.com/mig-1g.10gb'],
      ['placement', 'node(s) had untolerated taint {sku: gpu}'],
    ]);
  });

  it('counts every node for a reason given without a count (unbound claims)', () => {
    const parsed = parseSchedulerMessage(
      '0/9 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/9 nodes are available: 9 Preemption is not helpful for scheduling.',
    );
    expect(parsed.reasons).toEqual([
      { nodes: 9, reason: 'pod has unbound immediate PersistentVolumeClaims', category: 'volume' },
    ]);
  });
});
