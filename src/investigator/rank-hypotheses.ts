import type { Evidence, Hypothesis } from '../core/investigation.js';
import type { Runbook } from '../runbooks/runbook-schema.js';

/** Contradicting evidence counts less than supporting: absence of a signal is weaker proof. */
const CONTRADICTION_FACTOR = 0.6;
/** An alert that names the symptom a runbook covers tips a close call, never more. */
const ALERT_PRIOR = 0.5;

export interface ScoredRunbook {
  runbook: Runbook;
  evidence: Evidence[];
  candidateBecause: string[];
  alertMatched: boolean;
}

/**
 * Scores a runbook from its evidence: supporting weight minus discounted contradicting weight.
 * A runbook whose required check did not support it is kept below every runbook whose did.
 */
function scoreRunbook(entry: ScoredRunbook): Hypothesis {
  const { runbook, evidence } = entry;
  const total = evidence.reduce((sum, item) => sum + item.weight, 0) || 1;
  const support = evidence.filter((item) => item.verdict === 'supports').reduce((sum, item) => sum + item.weight, 0);
  const against = evidence.filter((item) => item.verdict === 'contradicts').reduce((sum, item) => sum + item.weight, 0);
  const requiredMet = evidence.filter((item) => item.required).every((item) => item.verdict === 'supports');
  let score = support - CONTRADICTION_FACTOR * against + (entry.alertMatched ? ALERT_PRIOR : 0);
  if (!requiredMet || support === 0) score = Math.min(score, 0) - 10;
  const confidence =
    requiredMet && support > 0 ? Math.max(0.05, Math.min(0.97, (support - CONTRADICTION_FACTOR * against) / total)) : 0;
  return {
    cause: runbook.id,
    title: runbook.title,
    class: runbook.class,
    score: Math.round(score * 100) / 100,
    confidence: Math.round(confidence * 100) / 100,
    candidateBecause: entry.candidateBecause,
    evidence,
  };
}

/** Checks that looked at data here: a cause no one could observe says less than one the data ruled out. */
function observed(hypothesis: Hypothesis): number {
  return hypothesis.evidence.filter((item) => item.verdict !== 'unavailable' && !item.missing).length;
}

/**
 * Highest score first; ties go to the runbook the alert itself points at, then to the cause with
 * more checks that saw data (a GPU cause on a CPU-only service is not a peer of a ruled-out one).
 */
export function rankHypotheses(entries: ScoredRunbook[]): Hypothesis[] {
  const scored = entries.map((entry) => ({ entry, hypothesis: scoreRunbook(entry) }));
  scored.sort(
    (left, right) =>
      right.hypothesis.score - left.hypothesis.score ||
      Number(right.entry.alertMatched) - Number(left.entry.alertMatched) ||
      observed(right.hypothesis) - observed(left.hypothesis) ||
      left.hypothesis.cause.localeCompare(right.hypothesis.cause),
  );
  const ranked = scored.map((item) => item.hypothesis);
  // A close second lowers the confidence of the first: the evidence does not separate them.
  const [first, second] = ranked;
  if (first && second && first.confidence > 0 && second.score > 0) {
    const margin = (first.score - second.score) / Math.max(first.score, 1);
    first.confidence = Math.round(first.confidence * Math.min(1, 0.6 + margin) * 100) / 100;
  }
  // A cause ranked below another is never shown as surer than it: a 97 % second under a 41 % first
  // reads as a contradiction, while the evidence only says the two are close.
  for (let index = 1; index < ranked.length; index += 1)
    ranked[index]!.confidence = Math.min(ranked[index]!.confidence, ranked[index - 1]!.confidence);
  return ranked;
}
