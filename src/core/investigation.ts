import type { Alert } from './alert.js';
import type { Admission, BudgetDecision, Caps, FirstLook, LlmAnswer, Spent } from './llm-outcome.js';
import type { GraphSpec } from './graph-spec.js';
import type { ToolMissing, ToolResult } from './tool-result.js';

export type Verdict = 'supports' | 'contradicts' | 'inconclusive' | 'unavailable';

/** What one runbook check found, in a sentence for a human and with the tool result behind it. */
export interface Evidence {
  runbook: string;
  check: string;
  verdict: Verdict;
  weight: number;
  required: boolean;
  sentence: string;
  /** The tool call behind the evidence (text, data, exact requests). */
  tool: Pick<ToolResult, 'toolset' | 'tool' | 'params' | 'status' | 'text' | 'requests'> & { error?: string };
  facts: Record<string, unknown>;
  /** The data was never collected here: what is missing and the setting that would collect it. */
  missing?: ToolMissing;
  /** The time series behind a supporting or contradicting verdict, to draw. */
  graph?: GraphSpec;
}

export interface Hypothesis {
  cause: string;
  title: string;
  class: string;
  score: number;
  confidence: number;
  /** Why it was considered: the alert matched its runbook, or a symptom was found. */
  candidateBecause: string[];
  evidence: Evidence[];
}

export interface RemediationStep {
  title: string;
  command?: string;
  details?: string;
}

/** The concrete things an investigation is about, resolved from the alert through the sources. */
export interface Entities {
  alertname: string;
  namespace?: string;
  service?: string;
  workload?: { kind: string; name: string };
  /** `role`: the pod's place in a distributed workload (`worker 1`, `group 1 leader`), when its controller labels one. */
  pods: Array<{ namespace: string; name: string; node?: string; role?: string }>;
  containers: string[];
  nodes: string[];
  gpus: Array<{ node: string; gpu: string; uuid?: string }>;
  model?: string;
  team?: string;
  /** The team's name where the gateway labels it apart from its id (LiteLLM's team_alias beside a team UUID). */
  teamAlias?: string;
  apiKey?: string;
  hpa?: string;
  /**
   * The namespaces a team owns when the alert names the team but no namespace and the team owns
   * several: each is investigated, and `namespace` is the one where the cause was found.
   */
  teamNamespaces?: string[];
  /** How each entity was found, for the report. */
  notes: string[];
  /** What the labels named but could not be found, and why. */
  unresolved: string[];
}

export type InvestigationStatus = 'completed' | 'degraded' | 'budget-exceeded' | 'failed';

export interface InvestigationStep {
  at: string;
  kind: 'entities' | 'symptom' | 'check' | 'rank' | 'note';
  message: string;
  durationMs?: number;
}

/** What the LLM agent added: set on every result that went through the agent (admitted or not). */
export interface LlmOutcome {
  answer: LlmAnswer | null;
  /** When the loop stopped without an answer: what the model had said so far. */
  partialAnswer: string | null;
  stopReason: string | null;
  /** The deterministic result the agent started from. */
  deterministic: InvestigationResult | null;
  /** A question's first look (tools run before any model call), with their output. */
  firstLook: FirstLook[];
  admission: Admission;
  /** Models that answered, in order of use. */
  models: string[];
  budget: { caps: Caps; spent: Spent; refusal: BudgetDecision | null };
}

/** One result type for every reasoner and every request: an alert's investigation or a question. */
export interface InvestigationResult {
  id: string;
  kind: 'alert' | 'question';
  /** The alert investigated; null for a question. */
  alert: Alert | null;
  question: string | null;
  mode: 'deterministic' | 'llm';
  status: InvestigationStatus;
  rootCause: { id: string; title: string; confidence: number; summary: string } | null;
  hypotheses: Hypothesis[];
  remediation: { runbook: string; steps: RemediationStep[] } | null;
  entities: Entities;
  symptoms: string[];
  /** What could not be checked, and why. */
  notChecked: string[];
  /** The telemetry as found (exporters and their dialects), one line each; absent when not read. */
  sources?: string[];
  usage: {
    modelCalls: number;
    inputTokens: number;
    outputTokens: number;
    usd: number;
    toolCalls: number;
    queries: number;
  };
  timings: { startedAt: string; durationMs: number; entitiesMs: number; checksMs: number };
  steps: InvestigationStep[];
  /** Set when the LLM agent was involved; null for a purely deterministic investigation. */
  llm: LlmOutcome | null;
  /** Graphs of the top cause's time series, most telling first (at most MAX_GRAPHS); drawn at delivery. */
  graphs?: GraphSpec[];
}
