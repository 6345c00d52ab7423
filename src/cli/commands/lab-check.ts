import { formatIssue } from '../../core/errors.js';
import { HolmesError } from '../../core/errors.js';
import type { CommandContext } from '../command-context.js';
import { writeJson } from '../command-context.js';

/** `holmes lab check DIR`: validates one scenario or a folder of them; non-zero when any is bad. */
export async function labCheck(context: CommandContext, path: string): Promise<void> {
  const { checkScenarios } = await import('../../lab/check-scenarios.js');
  const report = await checkScenarios(path);
  if (context.json) writeJson(context, report);
  else {
    for (const scenario of report.scenarios) {
      context.out.write(`${scenario.ok ? 'ok  ' : 'FAIL'} ${scenario.id ?? scenario.dir}\n`);
      for (const issue of scenario.issues) context.out.write(`     ${formatIssue(issue)}\n`);
    }
    const bad = report.scenarios.filter((scenario) => !scenario.ok).length;
    context.out.write(`${report.scenarios.length} scenario(s) checked, ${bad} with problems.\n`);
  }
  if (!report.ok) {
    throw new HolmesError('SCENARIO_INVALID', 'Some scenarios do not follow the format.', {
      fix: 'Fix the problems listed above (file:line: path: message); the format is in SCENARIOS.md.',
      details: { reported: true },
    });
  }
}
