import type { InvestigationResult } from '../../core/investigation.js';
import { inPlay, remediationSteps } from './result-text.js';

const MAX_CONTEXT = 6_000;

/**
 * An investigation's record as the first turn of a thread's conversation: what was asked (the
 * alert) and what Holmes found, in plain text, so a follow-up starts from it rather than from zero.
 */
export function recordContext(result: InvestigationResult): { question: string; answer: string } {
  const alert = result.alert;
  const labels = alert
    ? Object.entries(alert.labels)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')
    : '';
  const lines: string[] = [];
  const answer = result.llm?.answer;
  if (answer) lines.push(`Root cause (model): ${answer.cause}: ${answer.title}. ${answer.summary}`);
  if (result.rootCause)
    lines.push(
      `Root cause (runbook checks): ${result.rootCause.id}: ${result.rootCause.title} (confidence ${Math.round(result.rootCause.confidence * 100)}%). ${result.rootCause.summary}`,
    );
  else lines.push('Root cause: not determined by the runbook checks.');
  for (const hypothesis of inPlay(result).slice(0, 4)) {
    lines.push(`Hypothesis ${hypothesis.cause} (confidence ${Math.round(hypothesis.confidence * 100)}%):`);
    for (const evidence of hypothesis.evidence) lines.push(`  [${evidence.verdict}] ${evidence.sentence}`);
  }
  for (const item of answer?.evidence ?? []) lines.push(`Finding: ${item.finding}`);
  const { steps } = remediationSteps(result);
  for (const step of steps) lines.push(`Remediation: ${step.text}${step.command ? ` — ${step.command}` : ''}`);
  for (const gap of result.notChecked.slice(0, 5)) lines.push(`Not checked: ${gap}`);
  const text = lines.join('\n');
  return {
    question: `Investigate the alert ${alert?.labels.alertname ?? result.question ?? ''} (${labels}), status ${alert?.status ?? '?'}.`,
    answer: text.length > MAX_CONTEXT ? `${text.slice(0, MAX_CONTEXT - 1)}…` : text,
  };
}
