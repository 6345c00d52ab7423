import type { Hypothesis } from './investigation.js';

/**
 * Without strong evidence Holmes names no cause (a confident wrong answer pages the wrong team):
 * it says what it ruled out and its strongest leads, each with the evidence behind it. One line each.
 */
export function notDetermined(hypotheses: Hypothesis[], leads = 2): string[] {
  const ruledOut = hypotheses.filter((hypothesis) =>
    hypothesis.evidence.some((evidence) => evidence.required && evidence.verdict === 'contradicts'),
  );
  // A cause whose key symptom cannot be seen here (never collected, or not checked) is no lead,
  // whatever its side evidence says: flat traffic alone does not point at a KV cache no one measured.
  const unseen = (hypothesis: Hypothesis) => {
    const key = hypothesis.evidence.filter((evidence) => evidence.required);
    return key.length > 0 && key.every((evidence) => evidence.verdict === 'unavailable' || evidence.missing);
  };
  const strongest = hypotheses
    .filter((hypothesis) => !ruledOut.includes(hypothesis) && !unseen(hypothesis))
    .map((hypothesis) => ({ hypothesis, support: hypothesis.evidence.filter((item) => item.verdict === 'supports') }))
    .filter((lead) => lead.support.length > 0)
    .slice(0, leads);
  return [
    'not determined: no runbook cause is supported by strong evidence',
    ...(ruledOut.length > 0 ? [`ruled out: ${ruledOut.map((hypothesis) => hypothesis.cause).join(', ')}`] : []),
    ...strongest.map((lead) => `lead ${lead.hypothesis.cause}: ${lead.support[0]!.sentence}`),
  ];
}
