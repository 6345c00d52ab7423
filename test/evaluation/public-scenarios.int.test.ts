import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { runDoctor } from '../../src/doctor/run-doctor.js';
import { CAUSE_IDS } from '../../src/core/causes.js';
import { runEval } from '../../src/evaluation/run-eval.js';
import { BUILTIN_RUNBOOKS_DIR, loadRunbooks } from '../../src/runbooks/load-runbooks.js';

const SCENARIOS = fileURLToPath(new URL('../../evals/scenarios/', import.meta.url));

describe('runEval on the public scenarios', () => {
  it('finds the expected root cause of every public scenario (top-1)', async () => {
    const { config } = loadConfig({ env: {} });
    const runbooks = await loadRunbooks([BUILTIN_RUNBOOKS_DIR]);
    // `holmes doctor` in every lab: both sources answer, RBAC lets Holmes list every kind, and the
    // required checks of the expected cause have the data to decide (none is listed inconclusive).
    const doctorProblems: string[] = [];
    const report = await runEval(SCENARIOS, config, undefined, {
      inLab: async (labConfig, scenario) => {
        const doctor = await runDoctor(labConfig);
        if (!doctor.prometheus.ok || !doctor.kubernetes.ok) doctorProblems.push(`${scenario.id}: a source is down`);
        for (const entry of doctor.rbac.filter((probe) => probe.allowed === false))
          doctorProblems.push(`${scenario.id}: cannot list ${entry.kind}`);
        const required = new Set(
          runbooks.runbooks
            .filter((runbook) => runbook.id === scenario.expected.rootCause)
            .flatMap((runbook) => runbook.checks.filter((check) => check.required).map((check) => check.id)),
        );
        for (const entry of doctor.inconclusive) {
          if (!entry.fix) doctorProblems.push(`${scenario.id}: ${entry.runbook}/${entry.check} has no fix`);
          if (entry.runbook === scenario.expected.rootCause && required.has(entry.check))
            doctorProblems.push(`${scenario.id}: required ${entry.check} inconclusive: ${entry.reason}`);
        }
      },
    });
    expect(doctorProblems).toEqual([]);
    expect(report.total).toBeGreaterThanOrEqual(25);
    const failures = report.results
      .filter((result) => !result.passed)
      .map(
        (result) =>
          `${result.id}: expected ${result.expected}, got ${result.actual} [${result.top3.join(', ')}]${result.error ? ` error ${result.error}` : ''}`,
      );
    expect(failures).toEqual([]);
    // Every cause of the vocabulary is exercised by at least one public scenario, and `none` by six.
    expect(new Set(report.results.map((result) => result.expected).filter((cause) => cause !== 'none')).size).toBe(
      CAUSE_IDS.length,
    );
    expect(report.results.filter((result) => result.expected === 'none').length).toBeGreaterThanOrEqual(6);
    // Holmes names a cause only when it is right.
    expect(report.precision).toBe(1);
  }, 600_000);
});
