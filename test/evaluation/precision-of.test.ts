import { describe, expect, it } from 'vitest';
import { precisionOf, type EvalResult } from '../../src/evaluation/run-eval.js';

const result = (expected: string, actual: string | null, error: string | null = null): EvalResult => ({
  id: `${expected}-${actual}`,
  expected,
  actual,
  top3: [],
  passed: expected === actual || (expected === 'none' && actual === null),
  durationMs: 1,
  error,
});

describe('precisionOf', () => {
  it('counts only the scenarios where a cause was named, and a cause named for a none scenario as wrong', () => {
    const precision = precisionOf([
      result('oom-killed', 'oom-killed'),
      result('none', 'capacity-saturation'),
      result('none', null),
      result('bad-rollout', null),
      result('node-not-ready', 'node-not-ready'),
      result('gpu-xid-fault', null, 'lab failed'),
    ]);
    expect(precision).toBeCloseTo(2 / 3);
  });

  it('is null when no cause was named at all', () => {
    expect(precisionOf([result('none', null)])).toBeNull();
  });
});
