import { describe, expect, it } from 'vitest';
import type { Evidence, Verdict } from '../../src/core/investigation.js';
import { rankHypotheses, type ScoredRunbook } from '../../src/investigator/rank-hypotheses.js';
import type { Runbook } from '../../src/runbooks/runbook-schema.js';

function evidence(check: string, verdict: Verdict, weight: number, required = false): Evidence {
  return {
    runbook: 'x',
    check,
    verdict,
    weight,
    required,
    sentence: check,
    tool: { toolset: 't', tool: 't', params: {}, status: 'success', text: '', requests: [] },
    facts: {},
  };
}

function entry(id: string, items: Evidence[], alertMatched = false): ScoredRunbook {
  const runbook = {
    id,
    title: id,
    class: 'kubernetes',
    candidate: { alerts: [], symptoms: [] },
    checks: [],
    remediation: [],
    file: '',
    body: '',
  } as unknown as Runbook;
  return { runbook, evidence: items, candidateBecause: [], alertMatched };
}

describe('rankHypotheses', () => {
  it('ranks the cause with more supporting weight first', () => {
    const ranked = rankHypotheses([
      entry('weak', [evidence('a', 'supports', 2, true), evidence('b', 'contradicts', 2)]),
      entry('strong', [evidence('a', 'supports', 5, true), evidence('b', 'supports', 2)]),
    ]);
    expect(ranked.map((hypothesis) => hypothesis.cause)).toEqual(['strong', 'weak']);
    expect(ranked[0]!.confidence).toBeGreaterThan(ranked[1]!.confidence);
  });

  it('never shows a cause ranked second as surer than the first', () => {
    // The second's checks all support it, but with less weight: alone it would read 97 %.
    const ranked = rankHypotheses([
      entry('mixed', [
        evidence('a', 'supports', 5, true),
        evidence('b', 'supports', 4),
        evidence('c', 'supports', 3),
        evidence('d', 'contradicts', 1),
        evidence('e', 'inconclusive', 8),
      ]),
      entry('clean', [evidence('a', 'supports', 4, true), evidence('b', 'supports', 4), evidence('c', 'supports', 3)]),
    ]);
    expect(ranked.map((hypothesis) => hypothesis.cause)).toEqual(['mixed', 'clean']);
    expect(ranked[0]!.confidence).toBeLessThan(0.5);
    expect(ranked[1]!.confidence).toBe(ranked[0]!.confidence);
  });

  it('keeps a cause whose required check did not support it below every cause whose did', () => {
    const ranked = rankHypotheses([
      entry('many-side-signals', [
        evidence('key', 'inconclusive', 5, true),
        evidence('b', 'supports', 4),
        evidence('c', 'supports', 4),
      ]),
      entry('key-only', [evidence('key', 'supports', 3, true)]),
    ]);
    expect(ranked[0]!.cause).toBe('key-only');
    expect(ranked[1]!.confidence).toBe(0);
  });

  it('lets the alert name tip a tie but not outweigh evidence', () => {
    const tie = rankHypotheses([
      entry('a', [evidence('k', 'supports', 3, true)]),
      entry('b', [evidence('k', 'supports', 3, true)], true),
    ]);
    expect(tie[0]!.cause).toBe('b');
    const evidenceWins = rankHypotheses([
      entry('a', [evidence('k', 'supports', 4, true)]),
      entry('b', [evidence('k', 'supports', 3, true)], true),
    ]);
    expect(evidenceWins[0]!.cause).toBe('a');
  });

  it('puts a cause whose checks saw data before one no check could observe when both score alike', () => {
    const notCollected = {
      ...evidence('transmit-wait', 'inconclusive', 5, true),
      missing: { metrics: ['m'], fix: 'f' },
    };
    const ranked = rankHypotheses([
      entry('a-fabric-congestion', [notCollected, evidence('gpu-busy', 'unavailable', 3)]),
      entry('cpu-throttling', [evidence('throttled', 'inconclusive', 5, true), evidence('limit', 'inconclusive', 2)]),
    ]);
    expect(ranked.map((hypothesis) => hypothesis.score)).toEqual([-10, -10]);
    expect(ranked.map((hypothesis) => hypothesis.cause)).toEqual(['cpu-throttling', 'a-fabric-congestion']);
  });

  it('gives no confidence to a cause without any support', () => {
    const [only] = rankHypotheses([entry('none', [evidence('k', 'contradicts', 3, true)])]);
    expect(only!.confidence).toBe(0);
    expect(only!.score).toBeLessThan(0);
  });
});
