import { HolmesError } from '../../core/errors.js';
import type { CommandContext } from '../command-context.js';

export interface EvalCommandOptions {
  scenarios: string;
  format?: 'json' | 'md' | 'text';
}

/** `holmes eval`: every scenario through the lab and the investigator; JSON per SCENARIOS.md. */
export async function evalCommand(context: CommandContext, options: EvalCommandOptions): Promise<void> {
  const [{ runEval }, { formatEvalMarkdown }] = await Promise.all([import('../../evaluation/run-eval.js'), import('../../evaluation/format-eval-markdown.js')]);
  const format = context.json ? 'json' : (options.format ?? 'text');
  if (!['json', 'md', 'text'].includes(format)) throw new HolmesError('USAGE', `Unknown --format ${format}.`, { fix: 'Use --format json, md or text.' });
  const report = await runEval(options.scenarios, context.config, (result) => {
    // Progress on stderr only: stdout carries exactly one JSON object.
    const verdict = result.passed ? 'pass' : result.error ? 'ERROR' : 'FAIL';
    context.err.write(`${verdict.padEnd(5)} ${result.id}: expected ${result.expected ?? '?'}, got ${result.actual ?? '—'} [${result.top3.join(', ')}] ${result.durationMs} ms${result.error ? `\n      ${result.error.split('\n')[0]}` : ''}\n`);
  });
  if (format === 'json') {
    const contract = { mode: report.mode, total: report.total, passed: report.passed, results: report.results.map(({ id, expected, actual, top3, passed, durationMs, error }) => ({ id, expected, actual, top3, passed, durationMs, error })) };
    context.out.write(`${JSON.stringify(contract)}\n`);
  } else if (format === 'md') context.out.write(formatEvalMarkdown(report));
  else context.out.write(`${report.passed}/${report.total} scenarios passed (top-1).\n`);
}
