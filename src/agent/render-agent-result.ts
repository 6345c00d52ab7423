import { formatUsd } from '../core/format-usd.js';
import type { InvestigationResult, LlmOutcome } from '../core/investigation.js';
import { terminalText } from '../core/terminal-text.js';
import type { ResolvedAnswer } from './final-answer.js';

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
const clip = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

/** The structured answer for a terminal: cause, findings with the queries behind them, remediation. */
export function renderAnswer(answer: ResolvedAnswer): string[] {
  const lines = [
    `CAUSE  ${answer.cause} — ${answer.title} (confidence ${Math.round(answer.confidence * 100)}%)`,
    `  ${answer.summary}`,
    '',
    'EVIDENCE',
  ];
  for (const item of answer.evidence) {
    lines.push(`  - ${item.finding} [${item.sources.join(', ')}]`);
    if (item.tools.length > 0) lines.push(`      tools: ${item.tools.join(', ')}`);
    for (const query of item.queries.slice(0, 3)) lines.push(`      query: ${clip(query, 160)}`);
    if (item.queries.length > 3) lines.push(`      … ${item.queries.length - 3} more queries (see --json)`);
  }
  if (answer.remediation.length > 0) {
    lines.push('', 'REMEDIATION (Holmes applies nothing)');
    answer.remediation.forEach((step, index) => {
      lines.push(`  ${index + 1}. ${step.step}${step.runbook ? ` [runbook ${step.runbook}]` : ''}`);
      if (step.command) lines.push(...step.command.split('\n').map((line) => `       ${line}`));
    });
  }
  if (answer.openQuestions.length > 0)
    lines.push('', 'OPEN QUESTIONS', ...answer.openQuestions.map((question) => `  · ${question}`));
  return lines;
}

/** An agent result as a person reads it; the deterministic result stands in when there is no answer. */
export function renderAgentResult(result: InvestigationResult & { llm: LlmOutcome }): string {
  const lines: string[] = [];
  const llm = result.llm;
  if (result.question) lines.push(`Question ${result.question}`);
  if (result.alert)
    lines.push(
      `Alert ${result.alert.labels.alertname ?? '?'} ${Object.entries(result.alert.labels)
        .filter(([name]) => name !== 'alertname')
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}`,
    );
  const spent = llm.budget.spent;
  const checks = result.usage.toolCalls - spent.toolCalls;
  // `~`: some calls are our estimate (no usage reported, timed out, cut off), not the provider's report.
  const mark = spent.estimatedCalls > 0 ? '~' : '';
  const cached = spent.cachedTokens > 0 ? ` (${spent.cachedTokens} cached)` : '';
  const notes = [
    spent.estimatedCalls > 0 ? `${plural(spent.estimatedCalls, 'call')} estimated` : '',
    spent.flaggedCalls > 0 ? `${plural(spent.flaggedCalls, 'call')} far over its reservation` : '',
  ].filter(Boolean);
  lines.push(
    `Status ${result.status} · ${result.mode}${llm.models.length ? ` · ${llm.models.join(' → ')}` : ''} · ${plural(spent.steps, 'step')} · ${plural(spent.toolCalls, 'tool call')}${checks > 0 ? ` (+${checks} by runbook checks)` : ''} · ${mark}${result.usage.inputTokens} in${cached} / ${mark}${result.usage.outputTokens} out tokens · ${mark}${formatUsd(result.usage.usd)}${notes.length ? ` (${notes.join(', ')})` : ''} · ${(result.timings.durationMs / 1000).toFixed(1)} s`,
  );
  lines.push(
    `Team ${llm.admission.team} (${llm.admission.teamSource})${result.mode === 'deterministic' ? `: ${llm.admission.reason}` : ''}`,
  );
  lines.push('');
  if (llm.answer) lines.push(...renderAnswer(llm.answer));
  else {
    if (llm.stopReason && result.mode === 'llm') lines.push(`STOPPED  ${llm.stopReason}`);
    if (llm.partialAnswer)
      lines.push(
        '',
        'PARTIAL ANSWER (the model, before it stopped)',
        ...llm.partialAnswer.split('\n').map((line) => `  ${line}`),
      );
    if (result.rootCause) {
      lines.push(
        '',
        `DETERMINISTIC ROOT CAUSE  ${result.rootCause.id} — ${result.rootCause.title} (confidence ${Math.round(result.rootCause.confidence * 100)}%)`,
        `  ${result.rootCause.summary}`,
      );
      if (result.remediation) {
        lines.push(`  remediation (runbook ${result.remediation.runbook}):`);
        result.remediation.steps.forEach((step, index) => lines.push(`    ${index + 1}. ${step.title}`));
      }
    } else if (result.alert) lines.push('', 'DETERMINISTIC ROOT CAUSE  not determined from the evidence');
    for (const look of llm.firstLook)
      lines.push(
        '',
        `FIRST LOOK  ${look.tool} ${JSON.stringify(look.params)} → ${look.status}`,
        ...look.text.split('\n').map((line) => `  ${line}`),
      );
  }
  lines.push('', `Record ${result.id}: \`holmes replay ${result.id.slice(0, 8)}\` re-renders every step.`);
  // Each entry is one line: a newline or escape sequence inside a value is shown, not obeyed.
  return `${lines.map((line) => terminalText(line)).join('\n')}\n`;
}
