/** The cause vocabulary (shared/SCENARIOS.md). Runbooks carry the knowledge; this is only the list of ids. */
export const CAUSE_CLASSES = ['tail-latency', 'gpu-contention', 'runaway-cost', 'kubernetes'] as const;
export type CauseClass = (typeof CAUSE_CLASSES)[number];

export const CAUSE_IDS = [
  'kv-cache-saturation',
  'cpu-throttling',
  'bad-rollout',
  'capacity-saturation',
  'gpu-noisy-neighbor',
  'gpu-memory-pressure',
  'gpu-thermal-throttling',
  'gpu-xid-fault',
  'fabric-congestion',
  'idle-gpu-reservation',
  'agent-token-loop',
  'prompt-size-explosion',
  'autoscaler-thrash',
  'oom-killed',
  'crashloop-bad-config',
  'image-pull-failure',
  'node-not-ready',
  'pod-unschedulable',
  'probe-failure',
  'volume-failure',
  'config-reference-missing',
  'dns-failure',
  'network-policy-block',
  'rbac-denied',
  'autoscaler-broken',
] as const;
export type CauseId = (typeof CAUSE_IDS)[number];

/** What a scenario expects when the right answer is no root cause ("not determined"). */
export const NO_CAUSE = 'none';
