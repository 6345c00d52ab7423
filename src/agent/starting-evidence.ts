import { HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import type { Alert } from '../core/alert.js';
import type { InvestigationResult } from '../core/investigation.js';
import type { ToolResult } from '../core/tool-result.js';
import type { Toolbox } from '../toolsets/create-toolbox.js';
import type { SourceEntry } from './final-answer.js';
import { rankAlertTools, rankQuestionTools, type RankToolsOptions } from './rank-tools.js';
import { selectToolsets, type ToolsetMatch } from './select-toolsets.js';
import { systemPrompt, type PromptOptions } from './system-prompt.js';

const MARK = { supports: '+', contradicts: '-', inconclusive: '?', unavailable: '·' } as const;

/** Where the loop starts: the first messages, the evidence ids they define, the tools to offer. */
export interface StartingEvidence {
  messages: BaseMessage[];
  sources: Map<string, SourceEntry>;
  /** Tools offered to the model, most relevant first (final_answer aside: it is always offered). */
  tools: string[];
  /** A question's first look, run before any model call. */
  firstLook: ToolResult[];
  matches: ToolsetMatch[];
}

export interface HistoryTurn {
  question: string;
  answer: string;
}

const clip = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

/**
 * Parameters in a line of evidence, without the long ones (PromQL): those cost hundreds of
 * tokens each, and the answer's evidence gets the full queries from the ids anyway.
 */
function compactParams(params: Record<string, unknown>): string {
  const entries = Object.entries(params).filter(
    ([, value]) => value !== undefined && value !== '' && String(value).length <= 80,
  );
  return entries.length > 0 ? ` ${JSON.stringify(Object.fromEntries(entries))}` : '';
}

function list(names: string[], most = 8): string {
  return names.length > most ? `${names.slice(0, most).join(', ')} … ${names.length - most} more` : names.join(', ');
}

function describeAlert(alert: Alert): string {
  const labels = Object.entries(alert.labels)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  const annotations = Object.entries(alert.annotations)
    .filter(([name]) => ['summary', 'description'].includes(name))
    .map(([name, value]) => `${name}: ${value}`);
  return [
    `Alert ${alert.labels.alertname ?? '?'} (${alert.status} since ${alert.startsAt})`,
    `labels: ${labels}`,
    ...annotations,
  ].join('\n');
}

/**
 * An alert starts from the deterministic investigation: entities, ranked causes and every piece
 * of evidence, each with an id (E1 …) the answer can cite and the queries behind it.
 */
export function alertEvidence(
  alert: Alert,
  deterministic: InvestigationResult,
  prompt: PromptOptions,
  ranking: RankToolsOptions & { descriptions: Map<string, string> },
): StartingEvidence {
  const sources = new Map<string, SourceEntry>();
  const lines: string[] = [
    describeAlert(alert),
    '',
    'The deterministic investigation (runbook checks, no model) found:',
  ];
  const entities = deterministic.entities;
  lines.push(
    `Entities: namespace ${entities.namespace ?? '?'}; workload ${entities.workload ? `${entities.workload.kind}/${entities.workload.name}` : '?'}; pods ${list(entities.pods.map((pod) => `${pod.name}${pod.node ? ` on ${pod.node}` : ''}`)) || '-'}; GPUs ${list(entities.gpus.map((gpu) => `${gpu.node}/${gpu.gpu}`)) || '-'}${entities.model ? `; model ${entities.model}` : ''}`,
  );
  const inPlay = deterministic.hypotheses
    .filter((hypothesis) => hypothesis.candidateBecause.length > 0 || hypothesis.confidence > 0)
    .slice(0, 5);
  lines.push(`Ranked causes (${deterministic.rootCause ? `top: ${deterministic.rootCause.id}` : 'none supported'}):`);
  for (const hypothesis of inPlay) {
    lines.push(
      `${hypothesis.cause} — score ${hypothesis.score}, confidence ${hypothesis.confidence} (runbook ${hypothesis.cause})`,
    );
    for (const evidence of hypothesis.evidence) {
      const id = `E${sources.size + 1}`;
      sources.set(id, { tool: evidence.tool.tool, params: evidence.tool.params, requests: evidence.tool.requests });
      lines.push(
        `  [${id}] ${MARK[evidence.verdict]} ${evidence.check}: ${clip(evidence.sentence, 400)} (tool ${evidence.tool.tool}${compactParams(evidence.tool.params)})`,
      );
    }
  }
  const ruledOut = deterministic.hypotheses
    .filter((hypothesis) => !inPlay.includes(hypothesis))
    .map((hypothesis) => hypothesis.cause);
  if (ruledOut.length > 0) lines.push(`Ruled out at triage (key symptom absent): ${ruledOut.join(', ')}`);
  if (deterministic.notChecked.length > 0)
    lines.push(
      `Not checked: ${deterministic.notChecked
        .slice(0, 6)
        .map((item) => clip(item, 200))
        .join('; ')}`,
    );
  lines.push(
    '',
    'Confirm or correct the top cause with tools where the evidence is thin or contradictory, then call final_answer.',
  );
  return {
    messages: [new SystemMessage(systemPrompt(prompt)), new HumanMessage(lines.join('\n'))],
    sources,
    tools: rankAlertTools(alert, deterministic, ranking.descriptions, ranking),
    firstLook: [],
    matches: [],
  };
}

/**
 * A question starts from the toolsets it calls for: their tools are offered first (then the
 * generic Prometheus and Kubernetes ones), and their overview tools run before any model call,
 * so the first model call already has data.
 */
export async function questionEvidence(
  question: string,
  toolbox: Toolbox,
  prompt: PromptOptions,
  ranking: RankToolsOptions,
  history: HistoryTurn[] = [],
): Promise<StartingEvidence> {
  const descriptions = new Map(toolbox.statuses.map((status) => [status.id, status.description]));
  // Another MCP server's tools are never run unasked before the first model call: only the model calls them.
  const plan = selectToolsets(
    question,
    toolbox.tools().filter((tool) => !tool.external),
    descriptions,
  );
  const firstLook = await Promise.all(plan.firstLook.map((call) => toolbox.run(call.tool, call.params)));
  const sources = new Map<string, SourceEntry>();
  const lines: string[] = [];
  if (history.length > 0) {
    lines.push('Earlier in this conversation:');
    for (const turn of history) lines.push(`Q: ${turn.question}`, `A: ${turn.answer}`);
    lines.push('');
  }
  lines.push(`Question: ${question}`);
  if (plan.matches.length > 0)
    lines.push(
      `Toolsets for it: ${plan.matches.map((match) => `${match.toolset} (${match.words.join(', ')})`).join('; ')}.`,
    );
  firstLook.forEach((result) => {
    const id = `E${sources.size + 1}`;
    sources.set(id, { tool: result.tool, params: result.params, requests: result.requests });
    lines.push('', `[${id}] ${result.tool}${compactParams(result.params)} → ${result.status}`, result.text);
  });
  lines.push('', 'Investigate with tools as needed, then call final_answer.');
  return {
    messages: [new SystemMessage(systemPrompt(prompt)), new HumanMessage(lines.join('\n'))],
    sources,
    tools: rankQuestionTools(
      plan.matches,
      plan.firstLook.map((call) => call.tool),
      ranking,
    ),
    firstLook,
    matches: plan.matches,
  };
}
