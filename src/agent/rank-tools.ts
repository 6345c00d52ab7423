import type { Alert } from '../core/alert.js';
import type { Entities, InvestigationResult } from '../core/investigation.js';
import type { Runbook } from '../runbooks/runbook-schema.js';
import type { ToolDescriptor } from '../toolsets/create-toolbox.js';
import { selectToolsets, type ToolsetMatch } from './select-toolsets.js';

/** Offered whatever the symptom, after the tools that fit it: the model can always ask Prometheus and Kubernetes directly. */
export const GENERIC_TOOLSETS = ['prometheus/metrics', 'kubernetes/core'];

/**
 * Why a tool is offered, strongest first; a tool's relevance is the sum of its reasons, so the
 * order is by its strongest reason, then the next. Each reason counts once per tool.
 */
const WEIGHT = {
  /** Reading a runbook and running its checks: how a cause is confirmed. */
  runbook: 1_000,
  /**
   * The free-query generic tool (a PromQL expression) most runbooks check with: with it the model
   * can ask anything. Not a specialised generic tool such as signal_change, whose results the
   * runbooks' checks already gave and whose definition is large.
   */
  universal: 500,
  /** A question's first look: the tools that best answer it, already run once. */
  firstLook: 300,
  /**
   * A specialised toolset the alert (or the question) is about: the serving tools for an LLM
   * latency alert. Ahead of the evidence's tools, whose results the model already has.
   */
  described: 200,
  /**
   * A tool of another MCP server the user allowed (allowTools): offered whatever the evidence
   * chose, since the user opted in to it, after the tools the alert is about.
   */
  allowed: 150,
  /** The deterministic investigation used it for the top cause. */
  topEvidence: 100,
  /** Evidence of another cause in play, or a runbook of a class in play checks with it. */
  related: 10,
  /** A generic Prometheus or Kubernetes tool; plus up to 1 by the share of runbooks that check with it. */
  generic: 1,
} as const;

/** Listing the runbooks is for questions: an alert's evidence already names every cause, ranked or ruled out. */
const RUNBOOK_TOOLS = ['fetch_runbook', 'run_runbook_checks', 'list_runbooks'];

export interface RankToolsOptions {
  tools: ToolDescriptor[];
  /** The loaded runbooks: which tools their checks use says which tools matter. */
  runbooks: Runbook[];
  /** Tokens of each tool's definition, as offered to the model. */
  definitionTokens: (name: string) => number;
  /** Most tokens the offered definitions may take. */
  budget: number;
}

/**
 * The words that say what an alert is about: its name (camel case split), summary and
 * description, and the kinds of the distinctive entities it resolved to (GPUs, a served model,
 * an API key), which the toolsets' descriptions name.
 */
export function alertText(alert: Alert, entities?: Entities): string {
  const name = (alert.labels.alertname ?? '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  const kinds = [entities?.gpus.length ? 'gpu' : '', entities?.model ? 'model' : '', entities?.apiKey ? 'key' : ''];
  return [name, alert.annotations.summary, alert.annotations.description, ...kinds].filter(Boolean).join(' ');
}

/**
 * The tools offered, most relevant first, within a token budget for their definitions: tools
 * scoring nothing are not offered, and when the budget runs out the least relevant are left out.
 * The same order says which tools go first when a request must shrink to fit a window.
 */
export function offerTools(scores: Map<string, number>, options: RankToolsOptions): string[] {
  // The weights are far apart (a reason outweighs all weaker ones together): a score's tier is its strongest reason.
  const tiers = Object.values(WEIGHT).sort((left, right) => right - left);
  const tier = (score: number) => tiers.find((weight) => score >= weight) ?? 0;
  const ranked = [...scores]
    .filter(([, score]) => score > 0)
    // Strongest reason first; within it, the smaller definitions first, so more tools fit.
    .sort(
      ([left, leftScore], [right, rightScore]) =>
        tier(rightScore) - tier(leftScore) ||
        options.definitionTokens(left) - options.definitionTokens(right) ||
        rightScore - leftScore,
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

/** A tool that takes a whole PromQL expression as a required parameter. */
const takesFreeQuery = (tool: ToolDescriptor) =>
  Object.values(tool.spec.parameters ?? {}).some((parameter) => parameter.type === 'promql' && parameter.required);

const checkedWith = (runbook: Runbook) => new Set(runbook.checks.map((check) => check.tool.split('/').at(-1)!));

function scoreTable(options: RankToolsOptions): Map<string, number> {
  const scores = new Map<string, number>();
  const uses = new Map<string, number>();
  for (const runbook of options.runbooks)
    for (const name of checkedWith(runbook)) uses.set(name, (uses.get(name) ?? 0) + 1);
  let universal: string | undefined;
  for (const tool of options.tools) {
    const generic = GENERIC_TOOLSETS.includes(tool.toolset);
    const share = (uses.get(tool.spec.name) ?? 0) / Math.max(1, options.runbooks.length);
    scores.set(tool.spec.name, generic ? WEIGHT.generic + share : tool.external ? WEIGHT.allowed : 0);
    const best = universal ? scores.get(universal)! - WEIGHT.generic : 0;
    if (generic && takesFreeQuery(tool) && share > 0 && share > best) universal = tool.spec.name;
  }
  if (universal) add(scores, universal, WEIGHT.universal);
  for (const name of RUNBOOK_TOOLS) scores.set(name, 0);
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
  // Only specialised toolsets (Prometheus and Kubernetes fit every text a little), and only where
  // the text clearly points: the best one and those about as good, two words at least.
  const specialised = matches.filter((match) => !GENERIC_TOOLSETS.includes(match.toolset) && match.score >= 2);
  const best = specialised[0]?.score ?? 0;
  const toolsets = new Set(
    specialised.filter((candidate) => candidate.score * 2 >= best).map((match) => match.toolset),
  );
  for (const tool of tools.filter((candidate) => toolsets.has(candidate.toolset))) add(scores, tool.spec.name, weight);
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
  const top = inPlay.find((hypothesis) => hypothesis.cause === deterministic.rootCause?.id) ?? inPlay[0];
  const evidenceOf = (hypotheses: typeof inPlay) =>
    new Set(hypotheses.flatMap((hypothesis) => hypothesis.evidence.map((evidence) => evidence.tool.tool)));
  const classTools = (classes: Set<string>) =>
    new Set(
      options.runbooks.filter((runbook) => classes.has(runbook.class)).flatMap((runbook) => [...checkedWith(runbook)]),
    );
  const topEvidence = evidenceOf(top ? [top] : []);
  add(scores, 'fetch_runbook', WEIGHT.runbook);
  add(scores, 'run_runbook_checks', WEIGHT.runbook);
  for (const name of topEvidence) add(scores, name, WEIGHT.topEvidence);
  const related = new Set([
    ...evidenceOf(inPlay),
    ...classTools(new Set(inPlay.map((hypothesis) => hypothesis.class))),
  ]);
  for (const name of related) add(scores, name, WEIGHT.related);
  described(
    scores,
    selectToolsets(alertText(alert, deterministic.entities), options.tools, descriptions).matches,
    options.tools,
  );
  return offerTools(scores, options);
}

/** A question's tools: its first look, the toolsets it names by their words, then the generic ones. */
export function rankQuestionTools(matches: ToolsetMatch[], firstLook: string[], options: RankToolsOptions): string[] {
  const scores = scoreTable(options);
  // A question has no deterministic ranking to start from: which runbooks exist matters.
  for (const name of RUNBOOK_TOOLS) add(scores, name, WEIGHT.runbook);
  for (const name of firstLook) add(scores, name, WEIGHT.firstLook);
  described(scores, matches, options.tools);
  return offerTools(scores, options);
}
