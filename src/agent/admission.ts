import { formatUsd } from '../core/format-usd.js';
import type { HolmesConfig } from '../config/config-schema.js';
import type { SpendLedger } from '../ledger/spend-ledger.js';
import type { Admission, TeamLimits } from '../core/llm-outcome.js';

/** Who asks: `cli:<login>`, `slack:<user id>`, `api`; mapped to a team by budget.users. */
export type Requester = string;

export type { Admission } from '../core/llm-outcome.js';

export interface AdmitOptions {
  config: Pick<HolmesConfig, 'budget'>;
  ledger: SpendLedger;
  hasModels: boolean;
  labels?: Record<string, string> | undefined;
  requester?: Requester | undefined;
  now?: Date;
}

/** The one over-budget rule: at or past the daily or the monthly limit. Says which, with the figures. */
export function overBudget(limits: TeamLimits, spent: { dayUsd: number; monthUsd: number }): string[] {
  const over: string[] = [];
  if (limits.dailyUsd !== undefined && spent.dayUsd >= limits.dailyUsd)
    over.push(`${formatUsd(spent.dayUsd)} of its daily ${formatUsd(limits.dailyUsd)}`);
  if (limits.monthlyUsd !== undefined && spent.monthUsd >= limits.monthlyUsd)
    over.push(`${formatUsd(spent.monthUsd)} of its monthly ${formatUsd(limits.monthlyUsd)}`);
  return over;
}

/** The team from the alert's labels, else from who asked, else the unassigned team. */
export function resolveTeam(
  budget: HolmesConfig['budget'],
  labels: Record<string, string> | undefined,
  requester: Requester | undefined,
): { team: string; source: string } {
  for (const label of budget.teamLabels) {
    const value = labels?.[label];
    if (value) return { team: value, source: `label ${label}` };
  }
  if (requester && budget.users[requester]) return { team: budget.users[requester]!, source: `user ${requester}` };
  return { team: budget.unassignedTeam, source: 'default' };
}

/**
 * Admission: LLM mode with the per-investigation caps when a model is configured and the team
 * has budget left today and this month; otherwise deterministic only, and the reason says why.
 */
export async function admit(options: AdmitOptions): Promise<Admission> {
  const { budget } = options.config;
  const { team, source } = resolveTeam(budget, options.labels, options.requester);
  const limits: TeamLimits = budget.teams[team] ?? budget.otherTeams;
  const spent = await options.ledger.spent(team, options.now);
  const base = { team, teamSource: source, limits, caps: budget.perInvestigation, spent, overBudget: false };
  if (!options.hasModels)
    return {
      ...base,
      mode: 'deterministic',
      reason: 'no model is configured (models in the config), so the investigation is deterministic only',
    };
  const over = overBudget(limits, spent);
  if (over.length > 0) {
    return {
      ...base,
      mode: 'deterministic',
      overBudget: true,
      reason: `team ${team} is over budget (spent ${over.join(' and ')}): deterministic investigation only, no model call. Raise budget.teams.${team} or wait for the next period.`,
    };
  }
  const left = [
    limits.dailyUsd !== undefined
      ? `${formatUsd(spent.dayUsd)} of ${formatUsd(limits.dailyUsd)} today`
      : 'no daily limit',
    limits.monthlyUsd !== undefined
      ? `${formatUsd(spent.monthUsd)} of ${formatUsd(limits.monthlyUsd)} this month`
      : 'no monthly limit',
  ];
  const caps = budget.perInvestigation;
  return {
    ...base,
    mode: 'llm',
    reason: `team ${team} (${source}): ${left.join(', ')}; caps ${caps.maxSteps} steps, ${caps.maxToolCalls} tool calls, ${caps.maxInputTokens} input / ${caps.maxOutputTokens} output tokens, ${formatUsd(caps.maxUsd)}`,
  };
}
