import type { InvestigationResult } from '../core/investigation.js';

/** The answer (or what stands in for it) as plain text: for mentions in evals and for history. */
export function answerText(result: InvestigationResult): string {
  const llm = result.llm;
  if (llm?.answer) {
    const answer = llm.answer;
    return [
      `${answer.cause}: ${answer.title}`,
      answer.summary,
      ...answer.evidence.map((item) => item.finding),
      ...answer.remediation.map((step) => `${step.step}${step.command ? ` ${step.command}` : ''}`),
      ...answer.openQuestions,
    ].join('\n');
  }
  return [
    llm?.partialAnswer,
    result.rootCause ? `${result.rootCause.id}: ${result.rootCause.summary}` : null,
    ...(llm?.firstLook ?? []).map((look) => look.text),
  ]
    .filter(Boolean)
    .join('\n');
}
