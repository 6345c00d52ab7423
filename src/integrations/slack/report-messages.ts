import type { InvestigationResult } from '../../core/investigation.js';
import { fallbackText, LIMITS, sections, type Block } from './block-kit.js';
import { codeBlock, escapeMrkdwn, inlineCode } from './escape-mrkdwn.js';
import { teamLabel } from '../../core/team-label.js';
import {
  costText,
  inPlay,
  remediationHeading,
  remediationSteps,
  rootCauseText,
  statusNote,
  stepText,
  VERDICT_MARK,
} from './result-text.js';

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

const percent = (confidence: number) => `${Math.round(confidence * 100)}%`;

/** Longer queries are cut in Slack; `holmes investigations show ID` has every one whole. */
const MAX_QUERY = 400;

/** What a request asked, readably: the PromQL of a Prometheus query, else the API path. */
export function requestText(request: string): string {
  const [path, search] = request.split('?');
  const query = path?.startsWith('/api/v1/query') ? new URLSearchParams(search).get('query') : null;
  const text = query ?? request;
  return text.length > MAX_QUERY ? `${text.slice(0, MAX_QUERY - 1)}…` : text;
}

/** Every piece of evidence, per hypothesis in play (the model's findings first when it answered). */
export function evidenceText(result: InvestigationResult): string {
  const lines: string[] = [];
  const answer = result.llm?.answer;
  if (answer) {
    lines.push('*Findings of the model*');
    for (const item of answer.evidence) {
      lines.push(
        `• ${escapeMrkdwn(item.finding)}${item.sources.length ? ` [${escapeMrkdwn(item.sources.join(', '))}]` : ''}`,
      );
      for (const query of item.queries) lines.push(`    ${inlineCode(requestText(query))}`);
    }
    lines.push('');
  }
  const hypotheses = inPlay(result);
  if (hypotheses.length === 0 && !answer) lines.push('No runbook recognised the symptoms, so no check ran.');
  for (const hypothesis of hypotheses) {
    lines.push(
      `*${escapeMrkdwn(hypothesis.title)}* (${inlineCode(hypothesis.cause)}) · score ${hypothesis.score} · confidence ${percent(hypothesis.confidence)}`,
    );
    for (const evidence of hypothesis.evidence) {
      lines.push(`${VERDICT_MARK[evidence.verdict]} ${escapeMrkdwn(evidence.sentence)}`);
      const request = evidence.tool.requests[0];
      if (request && evidence.verdict !== 'unavailable') lines.push(`    ${inlineCode(requestText(request))}`);
    }
    lines.push('');
  }
  const ruledOut = result.hypotheses.filter((hypothesis) => !hypotheses.includes(hypothesis));
  if (ruledOut.length > 0)
    lines.push(
      `Ruled out at triage (key symptom absent): ${ruledOut.map((item) => inlineCode(item.cause)).join(', ')}`,
    );
  return lines.join('\n').trim();
}

/** The full report, for the thread: nothing the message shows (or cut) is missing here. */
export function reportText(result: InvestigationResult): string {
  const parts: string[] = ['*Full report*', rootCauseText(result)];
  const note = statusNote(result);
  if (note) parts.push(note);
  parts.push('', evidenceText(result));
  const { runbook, steps } = remediationSteps(result);
  if (steps.length > 0) parts.push('', remediationHeading(runbook), ...steps.map(stepText));
  const answer = result.llm?.answer;
  if (answer && answer.openQuestions.length > 0)
    parts.push('', '*Open questions*', ...answer.openQuestions.map((question) => `• ${escapeMrkdwn(question)}`));
  if (!answer && result.llm?.partialAnswer)
    parts.push('', '*Partial answer of the model (before it stopped)*', escapeMrkdwn(result.llm.partialAnswer));
  const entities = result.entities;
  const facts = [
    entities.namespace && `namespace ${inlineCode(entities.namespace)}`,
    entities.workload && `workload ${inlineCode(`${entities.workload.kind}/${entities.workload.name}`)}`,
    entities.pods.length > 0 && `pods ${entities.pods.map((pod) => inlineCode(pod.name)).join(', ')}`,
    entities.nodes.length > 0 && `nodes ${entities.nodes.map((node) => inlineCode(node)).join(', ')}`,
    entities.gpus.length > 0 && `GPUs ${entities.gpus.map((gpu) => inlineCode(`${gpu.node}/${gpu.gpu}`)).join(', ')}`,
    entities.model && `model ${inlineCode(entities.model)}`,
    entities.team && `team ${inlineCode(teamLabel(entities)!)}`,
  ].filter(Boolean);
  if (facts.length > 0) parts.push('', `*Entities* ${facts.join(' · ')}`);
  if (result.notChecked.length > 0)
    parts.push('', '*Not checked*', ...result.notChecked.map((gap) => `• ${escapeMrkdwn(gap)}`));
  parts.push('', costText(result));
  return parts.join('\n');
}

/** Long mrkdwn as thread messages: sections of ≤ 3,000 characters, ≤ 40 of them per message. */
export function textMessages(text: string, title: string): SlackMessage[] {
  const blocks = sections(text);
  const perMessage = LIMITS.blocks - 10;
  const messages: SlackMessage[] = [];
  for (let start = 0; start < blocks.length; start += perMessage)
    messages.push({ text: fallbackText(title), blocks: blocks.slice(start, start + perMessage) });
  return messages;
}

/** The investigation's details, posted in its thread when it finishes. */
export function reportMessages(result: InvestigationResult): SlackMessage[] {
  return textMessages(reportText(result), 'Full report of the investigation');
}

/** The answer to "Show evidence": all of it, with the query behind each item. */
export function evidenceMessages(result: InvestigationResult): SlackMessage[] {
  return textMessages(`*Evidence*\n${evidenceText(result)}`, 'Evidence of the investigation');
}

/** A command's output in the thread, for a first look without a model. */
export function codeText(title: string, text: string): string {
  return `${title}\n${codeBlock(text)}`;
}
