import { formatUsd } from '../../core/format-usd.js';
import type { Evidence, Hypothesis, InvestigationResult } from '../../core/investigation.js';
import { codeBlock, escapeMrkdwn, inlineCode } from './escape-mrkdwn.js';

/** The parts of a result every Slack rendering shares, as mrkdwn with every outside value escaped. */

const percent = (confidence: number) => `${Math.round(confidence * 100)}%`;
const count = (value: number) => value.toLocaleString('en-US');

export const VERDICT_MARK: Record<Evidence['verdict'], string> = {
  supports: '✅',
  contradicts: '❌',
  inconclusive: '❔',
  unavailable: '⚪',
};

/** Hypotheses still in play: their runbook matched the alert or their symptom showed. */
export function inPlay(result: InvestigationResult): Hypothesis[] {
  return result.hypotheses.filter((hypothesis) => hypothesis.candidateBecause.length > 0 || hypothesis.confidence > 0);
}

/** Root cause and confidence, or "not determined" with the leads. */
export function rootCauseText(result: InvestigationResult): string {
  const answer = result.llm?.answer;
  if (answer)
    return `*Root cause:* ${escapeMrkdwn(answer.title)} (${inlineCode(answer.cause)}) · confidence ${percent(answer.confidence)}\n${escapeMrkdwn(answer.summary)}`;
  if (result.rootCause)
    return `*Root cause:* ${escapeMrkdwn(result.rootCause.title)} (${inlineCode(result.rootCause.id)}) · confidence ${percent(result.rootCause.confidence)}\n${escapeMrkdwn(result.rootCause.summary)}`;
  const leads = inPlay(result).slice(0, 3);
  if (leads.length === 0) {
    const gaps = result.notChecked.slice(0, 2).map((gap) => `• ${escapeMrkdwn(gap)}`);
    return ['*Root cause not determined:* no runbook recognised the symptoms.', ...gaps].join('\n');
  }
  return [
    '*Root cause not determined.* Leads:',
    ...leads.map(
      (lead) =>
        `• ${escapeMrkdwn(lead.title)} (${inlineCode(lead.cause)}) · confidence ${percent(lead.confidence)}${lead.candidateBecause[0] ? `: ${escapeMrkdwn(lead.candidateBecause[0])}` : ''}`,
    ),
  ].join('\n');
}

/** Why a result is not a plain success, in one line; undefined when it is one. */
export function statusNote(result: InvestigationResult): string | undefined {
  const llm = result.llm;
  if (result.status === 'degraded')
    return '⚠️ Some sources did not answer, so some checks are inconclusive (see "not checked" in the thread).';
  if (result.status === 'budget-exceeded')
    return `⚠️ The LLM stopped at a budget cap${llm?.stopReason ? `: ${escapeMrkdwn(llm.stopReason)}` : ''}. The deterministic result stands.`;
  if (result.status === 'failed')
    return `❌ The investigation failed${llm?.stopReason ? `: ${escapeMrkdwn(llm.stopReason)}` : ''}.`;
  if (llm && llm.admission.mode === 'deterministic' && llm.admission.overBudget)
    return `💸 ${escapeMrkdwn(llm.admission.reason)}`;
  return undefined;
}

/** The strongest evidence for the root cause (or the model's findings), best first. */
export function topEvidence(result: InvestigationResult, limit: number): string[] {
  const answer = result.llm?.answer;
  if (answer) return answer.evidence.slice(0, limit).map((item) => `• ${escapeMrkdwn(item.finding)}`);
  const hypotheses = result.rootCause
    ? result.hypotheses.filter((hypothesis) => hypothesis.cause === result.rootCause!.id)
    : inPlay(result);
  return hypotheses
    .flatMap((hypothesis) => hypothesis.evidence)
    .filter((evidence) => evidence.verdict === 'supports')
    .sort((a, b) => b.weight - a.weight)
    .slice(0, limit)
    .map((evidence) => `${VERDICT_MARK.supports} ${escapeMrkdwn(evidence.sentence)}`);
}

export interface Step {
  text: string;
  command?: string | undefined;
  runbook?: string | null | undefined;
}

/** Remediation steps: the model's when it answered, else the runbook's with the entities filled in. */
export function remediationSteps(result: InvestigationResult): { runbook: string | null; steps: Step[] } {
  const answer = result.llm?.answer;
  if (answer && answer.remediation.length > 0)
    return {
      runbook: null,
      steps: answer.remediation.map((step) => ({ text: step.step, command: step.command, runbook: step.runbook })),
    };
  if (!result.remediation) return { runbook: null, steps: [] };
  return {
    runbook: result.remediation.runbook,
    steps: result.remediation.steps.map((step) => ({
      text: step.details ? `${step.title}: ${step.details}` : step.title,
      command: step.command,
    })),
  };
}

/** One step as mrkdwn: numbered text, its command in a code block it cannot leave. */
export function stepText(step: Step, index: number): string {
  const runbook = step.runbook ? ` (runbook ${inlineCode(step.runbook)})` : '';
  return `${index + 1}. ${escapeMrkdwn(step.text)}${runbook}${step.command ? `\n${codeBlock(step.command)}` : ''}`;
}

export function remediationHeading(runbook: string | null): string {
  return `*Remediation*${runbook ? ` from runbook ${inlineCode(runbook)}` : ''} (Holmes applies nothing)`;
}

/** Mode, tokens, dollars: what the answer cost, and whose budget paid. */
export function costText(result: InvestigationResult): string {
  const llm = result.llm;
  const usage = result.usage;
  const parts = [`Mode *${result.mode}*`];
  if (llm && llm.models.length > 0) parts.push(escapeMrkdwn(llm.models.join(' → ')));
  parts.push(
    usage.inputTokens + usage.outputTokens === 0
      ? '0 tokens'
      : `${count(usage.inputTokens)} in / ${count(usage.outputTokens)} out tokens`,
  );
  parts.push(formatUsd(usage.usd));
  if (llm) parts.push(`team ${inlineCode(llm.admission.team)}`);
  parts.push(
    `${count(usage.queries)} ${usage.queries === 1 ? 'query' : 'queries'}`,
    `${(result.timings.durationMs / 1000).toFixed(1)} s`,
  );
  return parts.join(' · ');
}
