import { describe, expect, it } from 'vitest';
import { loadRunbooks, BUILTIN_RUNBOOKS_DIR } from '../../src/runbooks/load-runbooks.js';
import { loadExamples } from '../../src/runbooks/runbook-examples.js';

describe('the built-in runbooks', () => {
  it('give every check an example that supports and one that contradicts (or, where it cannot, is inconclusive)', async () => {
    const { runbooks } = await loadRunbooks([BUILTIN_RUNBOOKS_DIR]);
    const lacking: string[] = [];
    for (const runbook of runbooks) {
      const { examples, issues } = await loadExamples(runbook);
      expect(issues).toEqual([]);
      for (const check of runbook.checks) {
        const verdicts = new Set((examples[check.id] ?? []).map((example) => example.expect));
        const canContradict = Boolean(check.contradicts) && check.contradicts !== 'false';
        const canSupport = check.supports !== 'false';
        const needed = [
          canSupport ? 'supports' : 'inconclusive',
          canContradict ? 'contradicts' : 'inconclusive',
        ] as const;
        for (const verdict of needed)
          if (!verdicts.has(verdict)) lacking.push(`${runbook.id}/${check.id}: no ${verdict} example`);
      }
    }
    expect(lacking).toEqual([]);
  });
});
