import type { InvestigationResult } from '../../core/investigation.js';
import { context, fallbackText, fitBlocks, section, sections, type Block } from './block-kit.js';
import { codeBlock, escapeMrkdwn, inlineCode } from './escape-mrkdwn.js';
import { costText, remediationHeading, remediationSteps, statusNote, stepText } from './result-text.js';
import type { SlackMessage } from './report-messages.js';

/** The message that stands for an answer while the model works, updated in place. */
export function progressMessage(question: string, doing: string): SlackMessage {
  return {
    text: fallbackText(`Working on: ${escapeMrkdwn(question)}`),
    blocks: [section(`⏳ ${doing}…`), context([`Question: ${escapeMrkdwn(question).slice(0, 300)}`])],
  };
}

/** An answer as mrkdwn: the model's structured answer, or what stands in for it. */
export function answerText(result: InvestigationResult): string {
  const lines: string[] = [];
  const answer = result.llm?.answer;
  if (answer) {
    lines.push(
      `*${escapeMrkdwn(answer.title)}* (${inlineCode(answer.cause)}) · confidence ${Math.round(answer.confidence * 100)}%`,
      escapeMrkdwn(answer.summary),
    );
    if (answer.evidence.length > 0)
      lines.push('', '*Evidence*', ...answer.evidence.map((item) => `• ${escapeMrkdwn(item.finding)}`));
    const { runbook, steps } = remediationSteps(result);
    if (steps.length > 0) lines.push('', remediationHeading(runbook), ...steps.map(stepText));
    if (answer.openQuestions.length > 0)
      lines.push('', '*Open questions*', ...answer.openQuestions.map((item) => `• ${escapeMrkdwn(item)}`));
  } else {
    const note = statusNote(result);
    lines.push(note ?? '*No answer from the model.*');
    if (result.llm?.partialAnswer) lines.push('', escapeMrkdwn(result.llm.partialAnswer));
    for (const look of result.llm?.firstLook ?? [])
      lines.push('', `What ${inlineCode(look.tool)} shows (${escapeMrkdwn(look.status)}):`, codeBlock(look.text));
  }
  return lines.join('\n');
}

/** The final answer message; `cut` says the full text must go to the thread too. */
export function answerMessage(result: InvestigationResult): SlackMessage & { cut: boolean } {
  const blocks: Block[] = [...sections(answerText(result)), context([costText(result)])];
  const fitted = fitBlocks(blocks);
  const title = result.llm?.answer?.title ?? 'Answer';
  return { text: fallbackText(escapeMrkdwn(title)), ...fitted };
}

/** What the agent is doing, from its step events: the tools it is calling. */
export function describeStep(kind: string, data: Record<string, unknown>): string | undefined {
  if (kind === 'model-call') {
    const calls = (data.toolCalls as Array<{ name: string }> | undefined) ?? [];
    const tools = calls.map((call) => call.name).filter((name) => name !== 'final_answer');
    if (tools.length > 0) return `calling ${tools.map((name) => inlineCode(name)).join(', ')}`;
    if (calls.some((call) => call.name === 'final_answer')) return 'writing the answer';
    return 'thinking';
  }
  if (kind === 'first-look' || kind === 'prompt') return 'gathering evidence';
  if (kind === 'deterministic') return 'runbook checks done, asking the model';
  // The agent reports 'compaction' after it summarised, or with `skipped` when it did not need to.
  if (kind === 'compaction' && !data.skipped) return 'summarising the conversation so far';
  return undefined;
}
