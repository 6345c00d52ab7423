import type { Alert } from '../core/alert.js';
import type { InvestigationResult, InvestigationStatus } from '../core/investigation.js';
import type { Admission } from './admission.js';
import type { BudgetDecision, Caps, Spent } from './budget-guard.js';
import type { ResolvedAnswer } from './final-answer.js';

/**
 * What the agent hands to delivery: the shape of an InvestigationResult (so the same renderers,
 * store and API serve it) plus the structured answer, the deterministic result it started from,
 * and the budget story. A question has no alert.
 */
export interface AgentResult extends Omit<InvestigationResult, 'alert' | 'mode' | 'status'> {
  /** The record id: `holmes investigations show ID`, `holmes replay ID`. */
  id: string;
  kind: 'alert' | 'question';
  alert: Alert | null;
  question: string | null;
  mode: 'llm' | 'deterministic';
  status: InvestigationStatus;
  answer: ResolvedAnswer | null;
  /** When the loop stopped without an answer: what the model had said so far. */
  partialAnswer: string | null;
  stopReason: string | null;
  deterministic: InvestigationResult | null;
  /** A question's first look (tools run before any model call), with their output. */
  firstLook: Array<{ tool: string; params: Record<string, unknown>; status: string; text: string; requests: string[] }>;
  admission: Admission;
  /** Models that answered, in order of use. */
  models: string[];
  budget: { caps: Caps; spent: Spent; refusal: BudgetDecision | null };
}

/** The answer (or what stands in for it) as plain text: for mentions in evals and for history. */
export function answerText(result: AgentResult): string {
  if (result.answer) {
    const answer = result.answer;
    return [
      `${answer.cause}: ${answer.title}`,
      answer.summary,
      ...answer.evidence.map((item) => item.finding),
      ...answer.remediation.map((step) => `${step.step}${step.command ? ` ${step.command}` : ''}`),
      ...answer.openQuestions,
    ].join('\n');
  }
  return [
    result.partialAnswer,
    result.rootCause ? `${result.rootCause.id}: ${result.rootCause.summary}` : null,
    ...result.firstLook.map((look) => look.text),
  ]
    .filter(Boolean)
    .join('\n');
}
