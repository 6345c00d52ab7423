import { describe, expect, it } from 'vitest';
import { loadRunbooks, BUILTIN_RUNBOOKS_DIR } from '../../src/runbooks/load-runbooks.js';
import { loadExamples, runExamples } from '../../src/runbooks/runbook-examples.js';

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

describe('runExamples', () => {
  it('fails an example whose sentence says a word it lists under never, and passes without it', async () => {
    const { runbooks } = await loadRunbooks([BUILTIN_RUNBOOKS_DIR]);
    const runbook = runbooks.find((entry) => entry.id === 'gpu-xid-fault')!;
    const example = {
      name: 'odd rank named',
      entities: {
        pods: [
          { name: 'ft-worker-0', node: 'h100-01', role: 'worker 0' },
          { name: 'ft-worker-1', node: 'h100-03', role: 'worker 1' },
        ],
      },
      data: {
        dialect: 'per-code',
        ours: [
          {
            gpu: 'gpu 5 on h100-03',
            node: 'h100-03',
            xid: 79,
            name: 'fell off the bus',
            serious: true,
            minutesBeforeAlert: 5,
          },
        ],
        sticky: [],
      },
      view: {},
      alertStartMinutesAgo: 15,
      expect: 'supports' as const,
      says: ['worker 1'],
      never: [] as string[],
    };
    const [passing] = await runExamples(runbook, { 'new-xid': [example] });
    expect(passing).toMatchObject({ passed: true });
    const [failing] = await runExamples(runbook, { 'new-xid': [{ ...example, never: ['odd rank'] }] });
    expect(failing).toMatchObject({ passed: false });
    expect(failing!.diff).toContain('- the sentence should not say: odd rank');
  });
});
