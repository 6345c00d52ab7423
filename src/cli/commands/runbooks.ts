import { formatIssue, HolmesError, type Issue } from '../../core/errors.js';
import type { CommandContext } from '../command-context.js';
import { writeJson } from '../command-context.js';

export interface RunbooksOptions {
  /** Runbook folders; default: the built-in ones and runbooks.directories of the config. */
  directories?: string[];
}

async function loadChecked(context: CommandContext, directories: string[] | undefined) {
  const [{ BUILTIN_RUNBOOKS_DIR, loadRunbooks }, { createToolbox }] = await Promise.all([
    import('../../runbooks/load-runbooks.js'),
    import('../../toolsets/create-toolbox.js'),
  ]);
  // Tools are read from the toolset files only: no source needs to answer for a lint.
  const toolbox = await createToolbox({ directories: context.config.toolsets.directories });
  const folders =
    directories && directories.length > 0
      ? directories
      : [BUILTIN_RUNBOOKS_DIR, ...context.config.runbooks.directories];
  return loadRunbooks(folders, { tools: toolbox.tools({ all: true }) });
}

/** `holmes runbooks check [DIR…]`: loads and lints every runbook; exits 2 when one is refused. */
export async function runbooksCheck(context: CommandContext, directories: string[]): Promise<void> {
  const loaded = await loadChecked(context, directories);
  const { loadExamples } = await import('../../runbooks/runbook-examples.js');
  const exampleIssues: Issue[] = [];
  for (const runbook of loaded.runbooks) exampleIssues.push(...(await loadExamples(runbook)).issues);
  const issues = [...loaded.failures.flatMap((failure) => failure.issues), ...exampleIssues];
  if (context.json) writeJson(context, { runbooks: loaded.runbooks.map((runbook) => runbook.id), issues });
  else {
    const ids = loaded.runbooks.map((runbook) => runbook.id);
    context.out.write(ids.length > 0 ? `${ids.length} runbooks load: ${ids.join(', ')}\n` : 'No runbook loads.\n');
    for (const issue of issues) context.out.write(`${formatIssue(issue)}\n`);
  }
  if (issues.length > 0)
    throw new HolmesError('RUNBOOK_INVALID', `${issues.length} problem(s) in the runbooks.`, {
      fix: 'Fix each at the file and line given above.',
    });
}

/** `holmes runbooks test [DIR…]`: every check's examples, with no Prometheus; a wrong verdict shows its diff. */
export async function runbooksTest(context: CommandContext, directories: string[]): Promise<void> {
  const loaded = await loadChecked(context, directories);
  const { loadExamples, runExamples } = await import('../../runbooks/runbook-examples.js');
  const report: Array<{ runbook: string; outcomes: Awaited<ReturnType<typeof runExamples>>; issues: Issue[] }> = [];
  for (const runbook of loaded.runbooks) {
    const { examples, issues } = await loadExamples(runbook);
    report.push({ runbook: runbook.id, outcomes: await runExamples(runbook, examples), issues });
  }
  const failures = report.flatMap((entry) => entry.outcomes.filter((outcome) => !outcome.passed));
  const problems = [
    ...loaded.failures.flatMap((failure) => failure.issues),
    ...report.flatMap((entry) => entry.issues),
  ];
  const total = report.reduce((sum, entry) => sum + entry.outcomes.length, 0);
  if (context.json) writeJson(context, { total, failed: failures.length, report, problems });
  else {
    for (const entry of report) {
      const failed = entry.outcomes.filter((outcome) => !outcome.passed);
      context.out.write(
        `${failed.length === 0 ? 'ok  ' : 'FAIL'} ${entry.runbook}: ${entry.outcomes.length - failed.length}/${entry.outcomes.length} examples\n`,
      );
      for (const outcome of failed)
        context.out.write(`  ${outcome.check} — ${outcome.name}\n${outcome.diff!.replace(/^/gm, '    ')}\n`);
    }
    for (const issue of problems) context.out.write(`${formatIssue(issue)}\n`);
    context.out.write(`${total - failures.length}/${total} examples pass.\n`);
  }
  if (failures.length > 0 || problems.length > 0)
    throw new HolmesError('RUNBOOK_INVALID', `${failures.length} example(s) failed, ${problems.length} problem(s).`, {
      fix: 'Each failure above shows the verdict expected and the one the check gave, with its facts.',
    });
}
