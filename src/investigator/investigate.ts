import { randomUUID } from 'node:crypto';
import { parseDuration } from '../core/duration.js';
import pLimit from 'p-limit';
import type { Alert } from '../core/alert.js';
import { MAX_GRAPHS } from '../core/graph-spec.js';
import { notDetermined } from '../core/not-determined.js';
import type { Entities, Evidence, InvestigationResult, InvestigationStep } from '../core/investigation.js';
import type { ToolResult } from '../core/tool-result.js';
import type { CheckSpec, Runbook } from '../runbooks/runbook-schema.js';
import type { Toolbox } from '../toolsets/create-toolbox.js';
import { entityView } from './entity-view.js';
import { evaluateCheck } from './evaluate-check.js';
import { renderRemediation } from './render-remediation.js';
import { alertExpression } from '../toolsets/signals/alert-signal.js';
import { withAlertGraph } from './alert-graph.js';
import { rankHypotheses, type ScoredRunbook } from './rank-hypotheses.js';
import { rankTeamNamespaces } from './rank-team-namespaces.js';
import { resolveEntities } from './resolve-entities.js';
import type { TeamNamespaces } from './resolve-team-entities.js';
import { teamLabel } from '../core/team-label.js';

export interface InvestigateOptions {
  alert: Alert;
  toolbox: Toolbox;
  runbooks: Runbook[];
  /** What the telemetry profile found, one line each (see describeProfile): shown in the result. */
  sources?: () => Promise<string[]>;
  /** Runbooks refused at load, one line each (file:line and the fix): every result says so. */
  skipped?: string[];
  now?: () => Date;
  /** Team → namespaces from the config (kubernetes.teamNamespaces), read before namespace labels. */
  teamNamespaces?: TeamNamespaces;
  /** Tool calls in flight at once. */
  concurrency?: number;
  /** Progress, for a TTY: called as each stage and check finishes. */
  onStep?: (step: InvestigationStep) => void;
}

function alertMatches(runbook: Runbook, alert: Alert): boolean {
  const text = [
    alert.labels.alertname ?? '',
    alert.annotations.summary ?? '',
    alert.annotations.description ?? '',
  ].join(' ');
  return runbook.candidate.alerts.some((pattern) => new RegExp(pattern, 'i').test(text));
}

/** The key checks of a runbook: its required ones, or its heaviest when none is marked. */
function keyChecks(runbook: Runbook): CheckSpec[] {
  const required = runbook.checks.filter((check) => check.required);
  if (required.length > 0) return required;
  return [[...runbook.checks].sort((left, right) => right.weight - left.weight)[0]!];
}

/**
 * The deterministic investigation: entities from the alert; the key check of every runbook
 * (triage: which causes show their symptom); every check of the candidates; ranked causes.
 * Zero tokens; every tool call goes through the read-only toolbox.
 */
export async function investigate(options: InvestigateOptions): Promise<InvestigationResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const started = performance.now();
  const steps: InvestigationStep[] = [];
  const step = (kind: InvestigationStep['kind'], message: string, durationMs?: number) => {
    const entry: InvestigationStep = {
      at: new Date().toISOString(),
      kind,
      message,
      ...(durationMs === undefined ? {} : { durationMs: Math.round(durationMs) }),
    };
    steps.push(entry);
    options.onStep?.(entry);
  };
  const { alert, runbooks } = options;
  // Every tool call of this investigation (entities included) is counted here, whoever makes it.
  let toolCalls = 0;
  let queries = 0;
  let sourceUnreachable = false;
  const toolbox: Toolbox = {
    ...options.toolbox,
    run: async (name, params) => {
      const result = await options.toolbox.run(name, params);
      toolCalls += 1;
      queries += result.requests.length;
      if (result.unreachable) sourceUnreachable = true;
      return result;
    },
  };

  const describeEntities = (entities: Entities, ms?: number) => {
    const resolved = [
      entities.namespace && `namespace ${entities.namespace}`,
      entities.workload && `${entities.workload.kind} ${entities.workload.name}`,
      entities.pods.length > 0 && `${entities.pods.length} pod(s)`,
      entities.nodes.length > 0 && `node(s) ${entities.nodes.join(', ')}`,
      entities.gpus.length > 0 && `${entities.gpus.length} GPU(s)`,
      entities.model && `model ${entities.model}`,
      entities.team && `team ${teamLabel(entities)}`,
      entities.apiKey && `key ${entities.apiKey}`,
    ].filter(Boolean);
    step('entities', `resolved ${resolved.join(', ') || 'nothing beyond the alert labels'}`, ms);
  };
  const teamEntities = await resolveEntities(alert, toolbox, options.teamNamespaces);
  const entitiesMs = performance.now() - started;
  describeEntities(teamEntities, entitiesMs);
  const context: ExamineContext = { ...options, toolbox, startedAt, step };
  const checksStarted = performance.now();
  let outcome: Examined;
  if (!teamEntities.namespace && teamEntities.teamNamespaces && teamEntities.teamNamespaces.length > 1) {
    // A team's alert that names no namespace: each of its namespaces (most GPUs and restarts
    // first, capped) is investigated; the report is the one where the cause is best supported.
    const ranked = await rankTeamNamespaces(teamEntities.teamNamespaces, toolbox);
    const outcomes: Array<{ namespace: string; examined: Examined }> = [];
    for (const namespace of ranked.namespaces) {
      const scoped = await resolveEntities({ ...alert, labels: { ...alert.labels, namespace } }, toolbox);
      describeEntities(scoped);
      outcomes.push({ namespace, examined: await examine(scoped, context) });
    }
    const confidence = (entry: (typeof outcomes)[number]) => entry.examined.rootCause?.confidence ?? 0;
    const best = outcomes.reduce((left, right) => (confidence(right) > confidence(left) ? right : left));
    outcome = best.examined;
    const others = outcomes
      .filter((entry) => entry !== best)
      .map((entry) => `${entry.namespace}: ${entry.examined.rootCause?.cause ?? 'not determined'}`);
    outcome.entities.teamNamespaces = teamEntities.teamNamespaces;
    outcome.entities.notes.unshift(
      ...teamEntities.notes,
      outcome.rootCause
        ? `team ${teamEntities.team}: the cause is in namespace ${best.namespace}${others.length ? ` (also investigated: ${others.join('; ')})` : ''}`
        : `team ${teamEntities.team}: no cause found in namespaces ${ranked.namespaces.join(', ')}`,
    );
    if (ranked.left.length > 0)
      outcome.entities.unresolved.push(
        `team ${teamEntities.team}: namespaces ${ranked.left.join(', ')} not investigated (at most ${ranked.namespaces.length}, most GPUs and restarts first)`,
      );
  } else {
    outcome = await examine(teamEntities, context);
  }
  const checksMs = performance.now() - checksStarted;
  const { entities, hypotheses, rootCause, remediation, symptoms, graphs, summary } = outcome;
  // The profile was read (and cached) by the tools already; a failure only leaves the line out.
  const sources = await options.sources?.().catch(() => undefined);
  const failedToolsets = toolbox.statuses
    .filter((status) => status.status === 'failed')
    .map((status) => `toolset ${status.id} unavailable: ${status.reason}`);
  const notChecked = [
    ...new Set([...entities.unresolved, ...outcome.unavailable, ...failedToolsets, ...(options.skipped ?? [])]),
  ];
  return {
    id: randomUUID(),
    kind: 'alert',
    alert,
    question: null,
    mode: 'deterministic',
    status: sourceUnreachable ? 'degraded' : 'completed',
    rootCause: rootCause
      ? { id: rootCause.cause, title: rootCause.title, confidence: rootCause.confidence, summary }
      : null,
    hypotheses,
    remediation,
    entities,
    symptoms,
    notChecked,
    ...(sources ? { sources } : {}),
    usage: { modelCalls: 0, inputTokens: 0, outputTokens: 0, usd: 0, toolCalls, queries },
    timings: {
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      entitiesMs: Math.round(entitiesMs),
      checksMs: Math.round(checksMs),
    },
    steps,
    llm: null,
    ...(graphs.length > 0 ? { graphs } : {}),
  };
}

interface ExamineContext extends InvestigateOptions {
  startedAt: Date;
  step: (kind: InvestigationStep['kind'], message: string, durationMs?: number) => void;
}

type Examined = Pick<InvestigationResult, 'hypotheses' | 'remediation' | 'entities' | 'symptoms'> & {
  graphs: NonNullable<InvestigationResult['graphs']>;
  rootCause: ReturnType<typeof rankHypotheses>[number] | undefined;
  summary: string;
  /** Sentences of the candidates' checks that had no data. */
  unavailable: string[];
};

/** Triage, the candidates' checks, ranking and remediation, for one set of entities. */
async function examine(entities: Entities, context: ExamineContext): Promise<Examined> {
  const { alert, runbooks, toolbox, startedAt, step } = context;
  const view = entityView(entities, alert, startedAt);
  const alertStartMs = Number.isFinite(Date.parse(alert.startsAt)) ? Date.parse(alert.startsAt) : startedAt.getTime();
  const scope = {
    view,
    entities,
    now: startedAt,
    alertStartMs,
    windowMs: parseDuration(String(view.window)),
    alertExpr: alertExpression(alert.generatorURL),
  };
  const limit = pLimit(context.concurrency ?? 8);
  const cache = new Map<string, Promise<ToolResult>>();
  const runChecks = (runbook: Runbook, checks: CheckSpec[]) =>
    Promise.all(
      checks.map((check) =>
        limit(async () => {
          const begin = performance.now();
          const outcome = await evaluateCheck(runbook.id, check, scope, toolbox, cache);
          step('check', `${runbook.id}/${check.id}: ${outcome.evidence.verdict}`, performance.now() - begin);
          return outcome;
        }),
      ),
    );

  // Triage: the key check of every runbook, so candidates come from symptoms, not the alert name alone.
  const triage = await Promise.all(
    runbooks.map(async (runbook) => ({ runbook, outcomes: await runChecks(runbook, keyChecks(runbook)) })),
  );
  const symptoms: string[] = [];
  let candidates: ScoredRunbook[] = [];
  for (const { runbook, outcomes } of triage) {
    const because: string[] = [];
    const alertMatched = alertMatches(runbook, alert);
    if (alertMatched) because.push('the alert names its symptom');
    for (const outcome of outcomes) {
      if (outcome.evidence.verdict === 'supports') {
        because.push(outcome.evidence.sentence);
        symptoms.push(outcome.evidence.sentence);
      }
    }
    candidates.push({
      runbook,
      evidence: outcomes.map((outcome) => outcome.evidence),
      candidateBecause: because,
      alertMatched,
    });
  }
  const considered = candidates.filter((candidate) => candidate.candidateBecause.length > 0);
  const ruledOut = candidates.filter((candidate) => candidate.candidateBecause.length === 0);
  if (considered.length === 0)
    step('note', 'no runbook matched the alert or showed its key symptom; checking every runbook');
  candidates = considered.length > 0 ? considered : candidates;
  step(
    'symptom',
    `${considered.length} candidate cause(s): ${candidates.map((candidate) => candidate.runbook.id).join(', ')}`,
  );

  await Promise.all(
    candidates.map(async (candidate) => {
      const done = new Set(candidate.evidence.map((evidence) => evidence.check));
      const rest = candidate.runbook.checks.filter((check) => !done.has(check.id));
      const outcomes = await runChecks(candidate.runbook, rest);
      const order = new Map(candidate.runbook.checks.map((check, index) => [check.id, index]));
      candidate.evidence = [...candidate.evidence, ...outcomes.map((outcome) => outcome.evidence)].sort(
        (left, right) => order.get(left.check)! - order.get(right.check)!,
      );
    }),
  );
  const hypotheses = [...rankHypotheses(candidates), ...rankHypotheses(considered.length > 0 ? ruledOut : [])];
  const top = hypotheses[0];
  const rootCause = top && top.confidence > 0 ? top : undefined;
  step(
    'rank',
    rootCause
      ? `root cause ${rootCause.cause} (confidence ${rootCause.confidence})`
      : notDetermined(hypotheses).join(' '),
  );

  const supporting = (rootCause?.evidence ?? []).filter((evidence) => evidence.verdict === 'supports');
  // The root cause's series, most telling first: supporting before contradicting, heavier first.
  // Checks that read one tool call share its graph: it is drawn once.
  const ranked = (rootCause?.evidence ?? [])
    .filter((evidence) => evidence.graph)
    .sort(
      (left, right) =>
        Number(right.verdict === 'supports') - Number(left.verdict === 'supports') || right.weight - left.weight,
    )
    .map((evidence) => evidence.graph!);
  const causeGraphs = [...new Map(ranked.map((graph) => [JSON.stringify(graph), graph])).values()];
  // The alert's own symptom joins the cause's graphs unless one of them draws it already.
  const graphs = rootCause
    ? withAlertGraph(causeGraphs, {
        expression: scope.alertExpr,
        alertname: entities.alertname,
        alertStartMs,
        nowMs: startedAt.getTime(),
      }).slice(0, MAX_GRAPHS)
    : [];
  const facts = Object.assign({}, ...supporting.map((evidence) => evidence.facts)) as Record<string, unknown>;
  const runbook = rootCause ? runbooks.find((candidate) => candidate.id === rootCause.cause) : undefined;
  const remediation = runbook ? { runbook: runbook.id, steps: renderRemediation(runbook, view, facts) } : null;

  // What could not be checked matters for the causes still in play; a ruled-out cause's gaps do not.
  const candidateEvidence: Evidence[] = candidates.flatMap((candidate) => candidate.evidence);
  const unavailable = candidateEvidence
    .filter((evidence) => evidence.verdict === 'unavailable')
    .map((evidence) => evidence.sentence);
  const summary = rootCause
    ? `${rootCause.title}${entities.workload ? ` (${entities.workload.name}${entities.namespace ? ` in ${entities.namespace}` : ''})` : ''}: ${supporting[0]?.sentence ?? ''}${supporting[1] ? ` ${supporting[1].sentence}` : ''}`.trim()
    : '';
  return { entities, hypotheses, rootCause, remediation, symptoms, graphs, summary, unavailable };
}
