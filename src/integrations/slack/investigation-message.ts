import type { Alert } from '../../core/alert.js';
import type { InvestigationResult } from '../../core/investigation.js';
import type { TicketRef } from '../../core/ticket.js';
import {
  actionButton,
  context,
  fallbackText,
  fitBlocks,
  header,
  linkButton,
  section,
  type Block,
  type Button,
} from './block-kit.js';
import { escapeMrkdwn, inlineCode, safeUrl } from './escape-mrkdwn.js';
import {
  costText,
  remediationHeading,
  remediationSteps,
  rootCauseText,
  statusNote,
  stepText,
  topEvidence,
} from './result-text.js';

export const ACTIONS = {
  investigateWithLlm: 'holmes_investigate_llm',
  createTicket: 'holmes_create_ticket',
  showEvidence: 'holmes_show_evidence',
  /** Link buttons: Slack still sends their click, which is only acknowledged. */
  link: /^holmes_link_/,
} as const;

/** An investigation as its Slack message shows it: the stored record plus what deliveries know. */
export interface InvestigationView {
  id: string;
  state: string;
  alert: Alert;
  alertCount: number;
  resolved: boolean;
  result: InvestigationResult | null;
  error: string | null;
  /** What the agent is doing now ("calling prometheus_query"), while it runs. */
  progress?: string | undefined;
  ticket?: TicketRef | undefined;
  silenceUrl?: string | undefined;
}

export interface MessageFeatures {
  /** A model is configured: a deterministic result can be re-run by the agent. */
  llm: boolean;
  /** A ticket creator is wired in (the Jira integration). */
  tickets: boolean;
}

const MAIN_EVIDENCE = 3;
const MAIN_STEPS = 4;
/** Labels worth reading first; the rest follow in name order. */
const KEY_LABELS = ['namespace', 'service', 'deployment', 'statefulset', 'job', 'pod', 'container', 'node', 'gpu'];
const SHOWN_LABELS = 6;

function labelLine(labels: Record<string, string>): string {
  const names = Object.keys(labels)
    .filter((name) => name !== 'alertname' && name !== 'severity')
    .sort((a, b) => {
      const rank = (name: string) => (KEY_LABELS.includes(name) ? KEY_LABELS.indexOf(name) : KEY_LABELS.length);
      return rank(a) - rank(b) || a.localeCompare(b);
    });
  const shown = names.slice(0, SHOWN_LABELS).map((name) => `${escapeMrkdwn(name)} ${inlineCode(labels[name]!)}`);
  const more = names.length - SHOWN_LABELS;
  return [...shown, ...(more > 0 ? [`+${more} more labels`] : [])].join(' · ') || 'no labels';
}

function headline(view: InvestigationView): string {
  const severity = view.alert.labels.severity ?? 'no severity';
  const icon = view.resolved ? '✅' : severity === 'critical' ? '🔥' : '⚠️';
  const name = view.alert.labels.alertname ?? view.alert.fingerprint;
  return `${icon} ${name} · ${severity} · ${view.resolved ? 'RESOLVED' : 'FIRING'}`;
}

function findingBlocks(view: InvestigationView): Block[] {
  const result = view.result;
  if (!result) {
    if (view.state === 'failed')
      return [
        section(
          `❌ *The investigation failed:* ${escapeMrkdwn(view.error ?? 'unknown error')}. The alert is stored; \`/holmes investigate ${view.alert.fingerprint}\` runs it again.`,
        ),
      ];
    const doing = view.progress ? `: ${view.progress}` : view.state === 'queued' ? ' (queued)' : '';
    return [section(`⏳ *Investigating*${doing}…`)];
  }
  const blocks: Block[] = [];
  if (view.state === 'queued' || view.state === 'running')
    blocks.push(
      section(`⏳ *Investigating again*${view.progress ? `: ${view.progress}` : ''}… (previous result below)`),
    );
  if (view.state === 'failed')
    blocks.push(
      context([
        `❌ The last run failed: ${escapeMrkdwn(view.error ?? 'unknown error')}. The result below is the one before.`,
      ]),
    );
  const note = statusNote(result);
  blocks.push(section(rootCauseText(result)));
  if (note) blocks.push(context([note]));
  const evidence = topEvidence(result, MAIN_EVIDENCE);
  if (evidence.length > 0) blocks.push(section(['*Evidence*', ...evidence].join('\n')));
  const { runbook, steps } = remediationSteps(result);
  if (steps.length > 0) {
    blocks.push(section(remediationHeading(runbook)));
    for (const [index, step] of steps.slice(0, MAIN_STEPS).entries()) blocks.push(section(stepText(step, index)));
    if (steps.length > MAIN_STEPS) blocks.push(context([`${steps.length - MAIN_STEPS} more steps in the thread.`]));
  }
  blocks.push(context([costText(result)]));
  return blocks;
}

function buttons(view: InvestigationView, features: MessageFeatures): Button[] {
  const elements: Button[] = [];
  const graph = safeUrl(view.alert.generatorURL);
  if (graph) elements.push(linkButton('Prometheus graph', graph, 'holmes_link_graph'));
  const silence = safeUrl(view.silenceUrl);
  if (silence && !view.resolved) elements.push(linkButton('Silence…', silence, 'holmes_link_silence'));
  const ticket = view.ticket && safeUrl(view.ticket.url);
  if (ticket) elements.push(linkButton(`Jira ${view.ticket!.key}`, ticket, 'holmes_link_ticket'));
  const finished = view.result !== null && view.state !== 'queued' && view.state !== 'running';
  if (finished && features.llm && view.result!.mode === 'deterministic')
    elements.push(actionButton('Investigate with LLM', ACTIONS.investigateWithLlm, view.id, 'primary'));
  if (finished && features.tickets && !view.ticket)
    elements.push(actionButton('Create Jira ticket', ACTIONS.createTicket, view.id));
  if (finished) elements.push(actionButton('Show evidence', ACTIONS.showEvidence, view.id));
  return elements;
}

/** The one message of an investigation: posted when it starts, updated as it finishes or resolves. */
export function investigationMessage(
  view: InvestigationView,
  features: MessageFeatures,
): { text: string; blocks: Block[]; cut: boolean } {
  const summary = view.alert.annotations.summary ?? view.alert.annotations.description;
  const blocks: Block[] = [
    header(headline(view)),
    context([labelLine(view.alert.labels), ...(view.alertCount > 1 ? [`${view.alertCount} alerts in the group`] : [])]),
    ...(summary ? [section(escapeMrkdwn(summary))] : []),
    ...findingBlocks(view),
  ];
  const elements = buttons(view, features);
  if (elements.length > 0) blocks.push({ type: 'actions', elements });
  blocks.push(context([`Investigation ${inlineCode(view.id.slice(0, 8))} · details in the thread`]));
  const fitted = fitBlocks(blocks);
  const cause = view.result?.llm?.answer?.title ?? view.result?.rootCause?.title;
  const text = `${headline(view)}${cause ? `: ${cause}` : view.result ? ': root cause not determined' : ''}`;
  return { text: fallbackText(escapeMrkdwn(text)), ...fitted };
}
