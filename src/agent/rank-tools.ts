import type { Alert } from '../core/alert.js';
import type { InvestigationResult } from '../core/investigation.js';
import type { Runbook } from '../runbooks/runbook-schema.js';
import type { ToolDescriptor } from '../toolsets/create-toolbox.js';
import { selectToolsets, type ToolsetMatch } from './select-toolsets.js';

/** Offered whatever the symptom, after the tools that fit it: the model can always ask Prometheus and Kubernetes directly. */
export const GENERIC_TOOLSETS = ['prometheus/metrics', 'kubernetes/core'];

/** How much each reason adds to a tool's relevance. */
const WEIGHT = {
  /** The deterministic investigation used it for the causes in play. */
  evidence: 4,
  /** A runbook of the same class checks with it. */
  sameClass: 2,
  /** Its toolset describes what the alert (or the question) is about. */
  described: 2,
  /** It is a question's first look. */
  firstLook: 3,
  /** A generic Prometheus or Kubernetes tool; plus up to 1 by the share of runbooks that check with it. */
  generic: 1,
} as const;

/** The runbook tools: reading a runbook and running its checks matter more than listing them. */
const RUNBOOK_TOOL_WEIGHTS: Record<string, number> = { fetch_runbook: 3, run_runbook_checks: 3, list_runbooks: 1 };

export interface RankToolsOptions {
  tools: ToolDescriptor[];
  /** The loaded runbooks: which tools their checks use says which tools matter. */
  runbooks: Runbook[];
  /** Tokens of each tool's definition, as offered to the model. */
  definitionTokens: (name: string) => number;
  /** Most tokens the offered definitions may take. */
  budget: number;
}

/** The words that say what an alert is about: its name (camel case split), summary and description. */
export function alertText(alert: Alert): string {
  const name = (alert.labels.alertname ?? '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return [name, alert.annotations.summary ?? '', alert.annotations.description ?? ''].join(' ');
}

/**
 * The tools offered, most relevant first, within a token budget for their definitions: tools
 * scoring nothing are not offered, and when the budget runs out the least relevant are left out.
 * The same order says which tools go first when a request must shrink to fit a window.
 */
export function offerTools(scores: Map<string, number>, options: RankToolsOptions): string[] {
  const canonical = [...options.tools.map((tool) => tool.spec.name), ...Object.keys(RUNBOOK_TOOL_WEIGHTS)];
  const ranked = [...scores]
    .filter(([, score]) => score > 0)
    .sort(
      ([left, leftScore], [right, rightScore]) =>
        rightScore - leftScore || canonical.indexOf(left) - canonical.indexOf(right),
    )
    .map(([name]) => name);
  const offered: string[] = [];
  let used = 0;
  for (const name of ranked) {
    const cost = options.definitionTokens(name);
    if (used + cost > options.budget) continue;
    offered.push(name);
    used += cost;
  }
  return offered;
}

const checkedWith = (runbook: Runbook) => new Set(runbook.checks.map((check) => check.tool.split('/').at(-1)!));

function scoreTable(options: RankToolsOptions): Map<string, number> {
  const scores = new Map<string, number>();
  const uses = new Map<string, number>();
  for (const runbook of options.runbooks)
    for (const name of checkedWith(runbook)) uses.set(name, (uses.get(name) ?? 0) + 1);
  for (const tool of options.tools) {
    const generic = GENERIC_TOOLSETS.includes(tool.toolset);
    const share = (uses.get(tool.spec.name) ?? 0) / Math.max(1, options.runbooks.length);
    scores.set(tool.spec.name, generic ? WEIGHT.generic + share : 0);
  }
  for (const [name, weight] of Object.entries(RUNBOOK_TOOL_WEIGHTS)) scores.set(name, weight);
  return scores;
}

function add(scores: Map<string, number>, name: string, weight: number): void {
  if (scores.has(name)) scores.set(name, scores.get(name)! + weight);
}

/** Tools of the toolsets a text is about, by the words it shares with their descriptions. */
function described(
  scores: Map<string, number>,
  matches: ToolsetMatch[],
  tools: ToolDescriptor[],
  weight: number = WEIGHT.described,
): void {
  const best = matches[0]?.score ?? 0;
  // Only where the text clearly points: the best toolset and those about as good.
  for (const match of matches.filter((candidate) => candidate.score * 2 >= best))
    for (const tool of tools.filter((candidate) => candidate.toolset === match.toolset))
      add(scores, tool.spec.name, weight);
}

/**
 * An alert's tools: those behind the evidence in play, those the runbooks of the same class check
 * with, and the toolsets its name and summary describe (the serving tools for an LLM latency
 * alert), then the generic ones.
 */
export function rankAlertTools(
  alert: Alert,
  deterministic: InvestigationResult,
  descriptions: Map<string, string>,
  options: RankToolsOptions,
): string[] {
  const scores = scoreTable(options);
  const inPlay = deterministic.hypotheses.filter(
    (hypothesis) => hypothesis.candidateBecause.length > 0 || hypothesis.confidence > 0,
  );
  for (const hypothesis of inPlay)
    for (const name of new Set(hypothesis.evidence.map((evidence) => evidence.tool.tool)))
      add(scores, name, WEIGHT.evidence);
  const classes = new Set(inPlay.map((hypothesis) => hypothesis.class));
  const classTools = new Set(
    options.runbooks.filter((runbook) => classes.has(runbook.class)).flatMap((runbook) => [...checkedWith(runbook)]),
  );
  for (const name of classTools) add(scores, name, WEIGHT.sameClass);
  described(scores, selectToolsets(alertText(alert), options.tools, descriptions).matches, options.tools);
  return offerTools(scores, options);
}

/** A question's tools: its first look, the toolsets it names by their words, then the generic ones. */
export function rankQuestionTools(matches: ToolsetMatch[], firstLook: string[], options: RankToolsOptions): string[] {
  const scores = scoreTable(options);
  for (const name of firstLook) add(scores, name, WEIGHT.firstLook);
  described(scores, matches, options.tools);
  // A question has no deterministic ranking to start from: which runbooks exist matters more.
  add(scores, 'list_runbooks', WEIGHT.described);
  return offerTools(scores, options);
}
