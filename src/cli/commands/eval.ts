import { formatUsd } from '../../core/format-usd.js';
import { HolmesError } from '../../core/errors.js';
import type { CommandContext } from '../command-context.js';

export interface EvalCommandOptions {
  scenarios: string;
  format?: 'json' | 'md' | 'text';
  mode?: 'deterministic' | 'llm';
}

/**
 * `holmes eval`: every scenario through the lab and the investigator; JSON per SCENARIOS.md.
 * `--mode llm`: the agent with the configured models; a scenario passes when the cause id matches
 * and the answer names every `mentions` entry; tokens, USD and time per scenario and in total.
 */
export async function evalCommand(context: CommandContext, options: EvalCommandOptions): Promise<void> {
  const [{ runEval }, { formatEvalMarkdown }] = await Promise.all([
    import('../../evaluation/run-eval.js'),
    import('../../evaluation/format-eval-markdown.js'),
  ]);
  const format = context.json ? 'json' : (options.format ?? 'text');
  if (!['json', 'md', 'text'].includes(format))
    throw new HolmesError('USAGE', `Unknown --format ${format}.`, { fix: 'Use --format json, md or text.' });
  const mode = options.mode ?? 'deterministic';
  if (mode === 'llm' && context.config.models.length === 0) {
    const { noModelError } = await import('../../agent/no-model-error.js');
    throw noModelError(
      '`holmes eval --mode llm` has nothing to evaluate (plain `holmes eval` scores the deterministic investigator)',
    );
  }
  if (mode === 'llm') {
    // Said once for the run, not once per scenario: a model counted as free, a window assumed.
    const { describeModels } = await import('../../agent/model-registry.js');
    for (const { facts } of describeModels(context.config))
      for (const warning of facts.warnings) context.logger.warn(warning);
  }
  const report = await runEval(
    options.scenarios,
    context.config,
    (result) => {
      // Progress on stderr only: stdout carries exactly one JSON object.
      const verdict = result.passed ? 'pass' : result.error ? 'ERROR' : 'FAIL';
      const cost =
        mode === 'llm'
          ? ` ${result.inputTokens ?? 0}/${result.outputTokens ?? 0} tokens ${formatUsd(result.usd ?? 0)}${result.missing?.length ? ` missing: ${result.missing.join(', ')}` : ''}${result.status ? ` (${result.status})` : ''}`
          : ` [${result.top3.join(', ')}]`;
      context.err.write(
        `${verdict.padEnd(5)} ${result.id}: expected ${result.expected ?? '?'}, got ${result.actual ?? '—'}${cost} ${result.durationMs} ms${result.error ? `\n      ${result.error.split('\n')[0]}` : ''}\n`,
      );
    },
    { mode },
  );
  if (format === 'json') {
    const results = report.results.map(
      ({ id, expected, actual, top3, passed, durationMs, error, inputTokens, outputTokens, usd, missing }) => ({
        id,
        expected,
        actual,
        top3,
        passed,
        durationMs,
        error,
        ...(mode === 'llm' ? { inputTokens, outputTokens, usd, missing } : {}),
      }),
    );
    const contract = {
      mode: report.mode,
      total: report.total,
      passed: report.passed,
      precision: report.precision,
      results,
      ...(mode === 'llm' ? { totals: report.totals } : {}),
    };
    context.out.write(`${JSON.stringify(contract)}\n`);
  } else if (format === 'md') context.out.write(formatEvalMarkdown(report));
  else if (mode === 'llm') {
    const { totals } = report;
    context.out.write(
      `${report.passed}/${report.total} scenarios passed (cause id and every mention); ${totals.inputTokens} input / ${totals.outputTokens} output tokens, ${formatUsd(totals.usd)}, ${(totals.durationMs / 1000).toFixed(1)} s.\n`,
    );
  } else
    context.out.write(
      `${report.passed}/${report.total} scenarios passed (top-1); precision ${formatPrecision(report.precision)} (of the causes named, the share right).\n`,
    );
}

function formatPrecision(precision: number | null): string {
  return precision === null ? '— (no cause named)' : `${(precision * 100).toFixed(1)}%`;
}
