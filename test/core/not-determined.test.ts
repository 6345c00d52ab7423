import { describe, expect, it } from 'vitest';
import type { Evidence, Hypothesis } from '../../src/core/investigation.js';
import { notDetermined } from '../../src/core/not-determined.js';

function evidence(check: string, verdict: Evidence['verdict'], required = false): Evidence {
  return {
    runbook: 'r',
    check,
    weight: 3,
    required,
    verdict,
    sentence: `${check} ${verdict}`,
    facts: {},
    tool: { toolset: 't', tool: 't', params: {}, status: 'success', text: '', requests: [] },
  } as unknown as Evidence;
}

function hypothesis(cause: string, items: Evidence[]): Hypothesis {
  return { cause, title: cause, class: 'kubernetes', score: -10, confidence: 0, candidateBecause: [], evidence: items };
}

describe('notDetermined', () => {
  it('lists the causes a required check contradicted and the leads with their first supporting evidence', () => {
    const lines = notDetermined([
      hypothesis('bad-rollout', [evidence('new-replicaset', 'contradicts', true), evidence('x', 'supports')]),
      hypothesis('capacity-saturation', [
        evidence('demand-grew', 'inconclusive', true),
        evidence('at-max', 'supports'),
      ]),
      hypothesis('cpu-throttling', [evidence('throttled', 'inconclusive', true)]),
    ]);
    expect(lines[0]).toMatch(/^not determined/);
    expect(lines).toContain('ruled out: bad-rollout');
    expect(lines).toContain('lead capacity-saturation: at-max supports');
    expect(lines.some((line) => line.includes('cpu-throttling'))).toBe(false);
  });

  it('says only that nothing was determined when no cause has any support', () => {
    expect(notDetermined([hypothesis('oom-killed', [evidence('oom', 'inconclusive', true)])])).toEqual([
      'not determined: no runbook cause is supported by strong evidence',
    ]);
  });

  it('takes no lead from a cause whose key symptom was never collected or could not be checked', () => {
    const notCollected = {
      ...evidence('kv-cache-full', 'inconclusive', true),
      missing: { metrics: ['vllm:kv_cache_usage_perc'], fix: 'scrape vLLM' },
    } as Evidence;
    const lines = notDetermined([
      hypothesis('kv-cache-saturation', [notCollected, evidence('traffic-flat', 'supports')]),
      hypothesis('gpu-noisy-neighbor', [evidence('shared-gpu', 'unavailable', true), evidence('busy', 'supports')]),
      hypothesis('capacity-saturation', [
        evidence('demand-grew', 'inconclusive', true),
        evidence('at-max', 'supports'),
      ]),
    ]);
    expect(lines).toEqual([
      'not determined: no runbook cause is supported by strong evidence',
      'lead capacity-saturation: at-max supports',
    ]);
  });
});
