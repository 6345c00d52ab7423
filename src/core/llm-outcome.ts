/**
 * What the LLM agent adds to an investigation: its answer, the budget story and the models that
 * answered. Plain shapes, so delivery (CLI, API, Slack, Jira) renders one result type whichever
 * reasoner produced it.
 */

/** Per-investigation caps (the config's budget.perInvestigation). */
export interface Caps {
  maxSteps: number;
  maxToolCalls: number;
  maxInputTokens: number;
  maxOutputTokens: number;
  maxUsd: number;
}

export interface Spent {
  steps: number;
  modelCalls: number;
  toolCalls: number;
  /** The whole prompts, cache reads and writes included. */
  inputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  usd: number;
  /** Calls whose figures are ours, not the provider's (no usage reported, timed out, cut off). */
  estimatedCalls: number;
  /** Calls whose reported usage was far above what was reserved for them. */
  flaggedCalls: number;
}

/** A call's usage as metered: tokens, USD, whether the figures are estimates, and any flag. */
export interface MeteredUsage {
  inputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  usd: number;
  estimated: boolean;
  /** `over-reservation`: the provider reported far more than the call's worst case. */
  flag?: string | undefined;
}

/** A budget decision, kept in the record: what was asked, against which cap, and the answer. */
export interface BudgetDecision {
  at: string;
  /** `skip`: this model's worst case does not fit, the next one in the list is tried. */
  action: 'reserve' | 'refuse' | 'settle' | 'refuse-tool' | 'skip';
  purpose?: string;
  model?: string;
  /** The cap that refused, e.g. `maxUsd` or `team daily budget`. */
  cap?: string;
  reason?: string;
  worstCase?: { inputTokens: number; outputTokens: number; usd: number };
  usage?: MeteredUsage;
  spent: Spent;
}

export interface TeamLimits {
  dailyUsd?: number | undefined;
  monthlyUsd?: number | undefined;
}

/** Which reasoner runs and why: the team, its limits and what it has spent. */
export interface Admission {
  mode: 'llm' | 'deterministic';
  team: string;
  /** Where the team came from: `label team`, `user cli:alice`, or `default`. */
  teamSource: string;
  limits: TeamLimits;
  caps: Caps;
  spent: { dayUsd: number; monthUsd: number };
  /** The team was at or past a limit, so no model was called. */
  overBudget: boolean;
  /** One sentence for the user and the record: why this mode. */
  reason: string;
}

/** The model's structured answer, with the tool calls and queries behind each finding. */
export interface LlmAnswer {
  cause: string;
  title: string;
  summary: string;
  evidence: Array<{ finding: string; sources: string[]; tools: string[]; queries: string[] }>;
  remediation: Array<{ step: string; runbook: string | null; command?: string | undefined }>;
  confidence: number;
  openQuestions: string[];
}

/** A tool run before any model call (a question's first look), with its output. */
export interface FirstLook {
  tool: string;
  params: Record<string, unknown>;
  status: string;
  text: string;
  requests: string[];
}
