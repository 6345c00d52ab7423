import { formatUsd } from '../core/format-usd.js';
import type { EvalReport } from './run-eval.js';

/** The eval as a Markdown table with per-class totals, for a PR or an issue. */
export function formatEvalMarkdown(report: EvalReport): string {
  if (report.mode === 'llm') return formatLlmEval(report);
  const lines = ['| scenario | class | expected | actual | top-3 | pass | time |', '|---|---|---|---|---|---|---|'];
  for (const result of report.results) {
    const top3 = result.top3.join(', ') || '—';
    const pass = result.passed ? 'yes' : result.error ? 'error' : 'no';
    lines.push(
      `| ${result.id} | ${result.class ?? '?'} | ${result.expected ?? '?'} | ${result.actual ?? '—'} | ${top3} | ${pass} | ${result.durationMs} ms |`,
    );
  }
  const classes = new Map<string, { total: number; passed: number; top3: number }>();
  for (const result of report.results) {
    const entry = classes.get(result.class ?? '?') ?? { total: 0, passed: 0, top3: 0 };
    entry.total += 1;
    if (result.passed) entry.passed += 1;
    if (result.expected && result.top3.includes(result.expected)) entry.top3 += 1;
    classes.set(result.class ?? '?', entry);
  }
  lines.push('', '| class | scenarios | top-1 | top-3 |', '|---|---|---|---|');
  for (const [name, entry] of [...classes].sort())
    lines.push(`| ${name} | ${entry.total} | ${entry.passed}/${entry.total} | ${entry.top3}/${entry.total} |`);
  const top3 = report.results.filter((result) => result.expected && result.top3.includes(result.expected)).length;
  lines.push(`| **all** | ${report.total} | ${report.passed}/${report.total} | ${top3}/${report.total} |`);
  return `${lines.join('\n')}\n`;
}

/** LLM mode: pass means cause id and every mention; tokens, USD and time per scenario and in total. */
function formatLlmEval(report: EvalReport): string {
  const lines = [
    '| scenario | expected | answered | missing mentions | pass | input tokens | output tokens | USD | time |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const result of report.results) {
    const pass = result.passed ? 'yes' : result.error ? 'error' : 'no';
    lines.push(
      `| ${result.id} | ${result.expected ?? '?'} | ${result.actual ?? '—'} | ${result.missing?.join(', ') || '—'} | ${pass} | ${result.inputTokens ?? 0} | ${result.outputTokens ?? 0} | ${formatUsd(result.usd ?? 0)} | ${result.durationMs} ms |`,
    );
  }
  const { totals } = report;
  lines.push(
    `| **all** | | | | ${report.passed}/${report.total} | ${totals.inputTokens} | ${totals.outputTokens} | ${formatUsd(totals.usd)} | ${totals.durationMs} ms |`,
  );
  return `${lines.join('\n')}\n`;
}
