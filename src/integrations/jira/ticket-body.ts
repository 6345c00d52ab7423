import type { Alert } from '../../core/alert.js';
import { formatUsd } from '../../core/format-usd.js';
import { resultGraphs } from '../../graphs/result-graphs.js';
import type { Evidence, InvestigationResult } from '../../core/investigation.js';
import {
  JIRA_SUMMARY_LIMIT,
  JIRA_TEXT_LIMIT,
  bulletList,
  code,
  codeBlock,
  cut,
  fitDocument,
  heading,
  link,
  paragraph,
  strong,
  table,
  text,
  type AdfDoc,
  type AdfNode,
} from './adf.js';

/** Links the ticket carries besides the alert's own (Prometheus graph, runbook). */
export interface TicketLinks {
  /** The investigation in Holmes's API. */
  investigation?: string;
  /** The Slack thread the investigation was posted in. */
  slackThread?: string;
}

export interface TicketBodyOptions {
  links?: TicketLinks;
  /** Who asked for the ticket by hand (a Slack button), if anyone. */
  requestedBy?: string;
  /** Opening line of a comment ("New investigation of this alert group"). */
  lead?: string;
  /** The result's evidence graphs are attached to the ticket as PNG files (named by graphFileName). */
  attachesGraphs?: boolean;
  /** For tests of the cut; Jira's own limit otherwise. */
  limit?: number;
}

const MAX_CELL = 600;
const MAX_PARAGRAPH = 3_000;
const MAX_COMMAND = 4_000;
const MAX_EVIDENCE_ROWS = 40;
const MAX_LEADS = 5;
const VERDICT = {
  supports: 'supports',
  contradicts: 'contradicts',
  inconclusive: 'inconclusive',
  unavailable: 'no data',
};

const percent = (value: number) => `${Math.round(value * 100)}%`;

/** One line, no control characters: Jira refuses a summary with a newline. */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

export function ticketSummary(result: InvestigationResult): string {
  const alert = result.alert;
  const name = alert?.labels.alertname ?? result.entities.alertname ?? 'alert';
  const where = alert?.labels.namespace ? ` in ${alert.labels.namespace}` : '';
  const cause = result.rootCause ? result.rootCause.title : 'root cause not determined';
  return cut(oneLine(`${name}${where}: ${cause}`), JIRA_SUMMARY_LIMIT);
}

function causeBlocks(result: InvestigationResult): AdfNode[] {
  if (result.rootCause) {
    const { title, id, confidence, summary } = result.rootCause;
    return [
      heading(2, 'Root cause'),
      paragraph(strong(cut(title, 500)), text(` (${id}), confidence ${percent(confidence)}`)),
      paragraph(text(cut(summary, MAX_PARAGRAPH))),
    ];
  }
  const leads = result.hypotheses
    .filter((hypothesis) => hypothesis.candidateBecause.length > 0 || hypothesis.confidence > 0)
    .slice(0, MAX_LEADS);
  return [
    heading(2, 'Root cause'),
    paragraph(strong('Not determined'), text(' from the evidence collected.')),
    ...(leads.length > 0
      ? [
          paragraph(text('Leads, most likely first:')),
          bulletList(
            leads.map((lead) => [
              ...strong(cut(lead.title, 300)),
              ...text(` (${lead.cause}): confidence ${percent(lead.confidence)}, score ${lead.score}`),
            ]),
          ),
        ]
      : []),
  ];
}

function evidenceRows(result: InvestigationResult): AdfNode[][][] {
  const findings = result.llm?.answer?.evidence ?? [];
  if (findings.length > 0)
    return findings.map((finding) => [
      text(cut(finding.finding, MAX_CELL)),
      text('model finding'),
      text(cut([...finding.tools, ...finding.sources].join(', '), MAX_CELL)),
    ]);
  const cause = result.rootCause?.id;
  const ranked = [...result.hypotheses].sort(
    (left, right) => Number(right.cause === cause) - Number(left.cause === cause) || right.score - left.score,
  );
  const evidence: Evidence[] = ranked.flatMap((hypothesis) =>
    hypothesis.evidence.filter((item) => item.verdict === 'supports' || item.verdict === 'contradicts'),
  );
  return evidence.map((item) => [
    text(cut(item.sentence, MAX_CELL)),
    text(`${VERDICT[item.verdict]} ${item.runbook}`),
    code(cut(`${item.tool.toolset}/${item.tool.tool}`, 200)),
  ]);
}

function remediationBlocks(result: InvestigationResult): AdfNode[] {
  if (!result.remediation || result.remediation.steps.length === 0) return [];
  const blocks: AdfNode[] = [
    heading(2, 'Remediation'),
    paragraph(text(`From runbook ${result.remediation.runbook}. Holmes applies nothing; review before running.`)),
  ];
  result.remediation.steps.forEach((step, index) => {
    blocks.push(paragraph(strong(`${index + 1}. `), text(cut(step.title, 500))));
    if (step.command) blocks.push(codeBlock(cut(step.command, MAX_COMMAND)));
    if (step.details) blocks.push(paragraph(text(cut(step.details, MAX_PARAGRAPH))));
  });
  return blocks;
}

function alertBlocks(alert: Alert | null, alerts: Alert[]): AdfNode[] {
  if (!alert) return [];
  const rows = Object.entries(alert.labels).map(([name, value]) => [code(cut(name, 200)), text(cut(value, MAX_CELL))]);
  const others = alerts.length > 1 ? ` and ${alerts.length - 1} more alert(s) of its group` : '';
  return [
    heading(2, 'Alert'),
    paragraph(
      text(`${alert.status}, since ${alert.startsAt}${others}. `),
      text(cut(oneLine(alert.annotations.summary ?? alert.annotations.description ?? ''), MAX_PARAGRAPH)),
    ),
    ...(rows.length > 0 ? [table(['Label', 'Value'], rows)] : []),
  ];
}

function linkBlocks(result: InvestigationResult, links: TicketLinks): AdfNode[] {
  const items: AdfNode[][] = [];
  if (links.slackThread) items.push(link('Slack thread', links.slackThread));
  if (result.alert?.generatorURL) items.push(link('Prometheus graph of the alert', result.alert.generatorURL));
  const runbook = result.alert?.annotations.runbook_url;
  if (runbook) items.push(link('Runbook of the alert', runbook));
  if (links.investigation) items.push(link(`Investigation ${result.id} in Holmes`, links.investigation));
  else items.push([...text('Investigation '), ...code(result.id), ...text(' (holmes investigations show ID)')]);
  return [heading(2, 'Links'), bulletList(items)];
}

/** The file name of an investigation's graph N (1-based) on its ticket; unique per investigation. */
export function graphFileName(investigationId: string, index: number): string {
  return `holmes-${investigationId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 8)}-graph-${index}.png`;
}

/** The evidence graphs: what each shows, the file it is attached as, and the PNG Holmes serves. */
function graphBlocks(result: InvestigationResult, options: TicketBodyOptions): AdfNode[] {
  const investigation = options.links?.investigation;
  if (!options.attachesGraphs && !investigation) return [];
  const specs = resultGraphs(result);
  if (specs.length === 0) return [];
  const items = specs.map((spec, position) => {
    const index = position + 1;
    const title = (spec as { title?: unknown }).title;
    return [
      ...text(cut(typeof title === 'string' ? title : `Graph ${index}`, 200)),
      ...(options.attachesGraphs ? [...text(': attached as '), ...code(graphFileName(result.id, index))] : []),
      ...(investigation ? [...text(' · '), ...link('PNG in Holmes', `${investigation}/graphs/${index}.png`)] : []),
    ];
  });
  return [heading(2, 'Evidence graphs'), bulletList(items)];
}

/** The cost line: model calls, tokens and USD, tool calls and queries, and the time it took. */
export function costLine(result: InvestigationResult): string {
  const usage = result.usage;
  const seconds = (result.timings.durationMs / 1000).toFixed(1);
  const model =
    usage.modelCalls > 0
      ? `${usage.modelCalls} model calls, ${usage.inputTokens} input and ${usage.outputTokens} output tokens, ${formatUsd(usage.usd)}`
      : `0 tokens (${result.mode})`;
  return `Cost: ${model}; ${usage.toolCalls} tool calls, ${usage.queries} queries; ${seconds} s.`;
}

/**
 * A ticket description or comment for an investigation: summary, root cause (or the leads),
 * evidence, remediation with commands as code blocks, the alert, links and the cost line, cut to
 * Jira's limit with a note that says so.
 */
export function ticketBody(result: InvestigationResult, alerts: Alert[], options: TicketBodyOptions = {}): AdfDoc {
  const rows = evidenceRows(result);
  const blocks: AdfNode[] = [
    ...(options.lead ? [paragraph(strong(options.lead))] : []),
    paragraph(
      text(
        `Holmes investigated ${result.alert?.labels.alertname ?? 'the alert'}: ${result.status}, ${result.mode}` +
          (result.entities.namespace ? `, namespace ${result.entities.namespace}` : '') +
          (result.entities.workload ? `, ${result.entities.workload.kind}/${result.entities.workload.name}` : '') +
          '.',
      ),
      options.requestedBy ? text(` Requested by ${options.requestedBy}.`) : [],
    ),
    ...causeBlocks(result),
    ...(rows.length > 0
      ? [heading(2, 'Evidence'), table(['Finding', 'Verdict', 'Source'], rows.slice(0, MAX_EVIDENCE_ROWS))]
      : []),
    ...remediationBlocks(result),
    ...graphBlocks(result, options),
    ...linkBlocks(result, options.links ?? {}),
    paragraph(text(costLine(result))),
    ...alertBlocks(result.alert, alerts),
    ...(result.notChecked.length > 0
      ? [heading(2, 'Not checked'), bulletList(result.notChecked.slice(0, 20).map((item) => text(cut(item, 500))))]
      : []),
  ];
  return fitDocument(blocks, options.limit ?? JIRA_TEXT_LIMIT, (omitted) =>
    paragraph(
      strong('Cut to fit Jira: '),
      text(`${omitted} part(s) left out. The whole investigation: `),
      options.links?.investigation ? link(result.id, options.links.investigation) : code(result.id),
      text('.'),
    ),
  );
}

/** The comment when the alert resolves. */
export function resolvedComment(alert: Alert | null, resolvedAt: string): AdfDoc {
  return {
    type: 'doc',
    version: 1,
    content: [
      paragraph(
        strong('Resolved. '),
        text(
          `${alert?.labels.alertname ?? 'The alert'} stopped firing at ${resolvedAt}` +
            (alert ? ` (it fired from ${alert.startsAt}).` : '.'),
        ),
      ),
    ],
  };
}

/** A comment with a bold title and a list of lines (each cut), e.g. graphs that could not be drawn. */
export function noteComment(title: string, lines: string[]): AdfDoc {
  return {
    type: 'doc',
    version: 1,
    content: [paragraph(strong(cut(title, 200))), bulletList(lines.slice(0, 20).map((line) => text(cut(line, 500))))],
  };
}
