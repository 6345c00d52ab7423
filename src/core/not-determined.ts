import type { Hypothesis } from './investigation.js';

/**
 * Without strong evidence Holmes names no cause (a confident wrong answer pages the wrong team):
 * it says what it ruled out and its strongest leads, each with the evidence behind it. One line each.
 */
export function notDetermined(hypotheses: Hypothesis[], leads = 2): string[] {
  const ruledOut = hypotheses.filter((hypothesis) =>
    hypothesis.evidence.some((evidence) => evidence.required && evidence.verdict === 'contradicts'),
  );
  const strongest = hypotheses
    .filter((hypothesis) => !ruledOut.includes(hypothesis))
    .map((hypothesis) => ({ hypothesis, support: hypothesis.evidence.filter((item) => item.verdict === 'supports') }))
    .filter((lead) => lead.support.length > 0)
    .slice(0, leads);
  return [
    'not determined: no runbook cause is supported by strong evidence',
    ...(ruledOut.length > 0 ? [`ruled out: ${ruledOut.map((hypothesis) => hypothesis.cause).join(', ')}`] : []),
    ...strongest.map((lead) => `lead ${lead.hypothesis.cause}: ${lead.support[0]!.sentence}`),
  ];
}
