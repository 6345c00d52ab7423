import type { HolmesConfig } from '../config/config-schema.js';
import type { SpendLedger, TeamLimits } from '../ledger/spend-ledger.js';
import type { Caps } from './budget-guard.js';

/** Who asks: `cli:<login>`, `slack:<user id>`, `api`; mapped to a team by budget.users. */
export type Requester = string;

export interface Admission {
  mode: 'llm' | 'deterministic';
  team: string;
  /** Where the team came from: `label team`, `user cli:alice`, or `default`. */
  teamSource: string;
  limits: TeamLimits;
  caps: Caps;
  spent: { dayUsd: number; monthUsd: number };
  /** One sentence for the user and the record: why this mode. */
  reason: string;
}

export interface AdmitOptions {
  config: Pick<HolmesConfig, 'budget'>;
  ledger: SpendLedger;
  hasModels: boolean;
  labels?: Record<string, string> | undefined;
  requester?: Requester | undefined;
  now?: Date;
}

/** Cents when exact, else four decimals: small spends must not read as $0.00. */
export const money = (usd: number) => `$${Number(usd.toFixed(2)) === usd ? usd.toFixed(2) : usd.toFixed(4)}`;

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
export function admit(options: AdmitOptions): Admission {
  const { budget } = options.config;
  const { team, source } = resolveTeam(budget, options.labels, options.requester);
  const limits: TeamLimits = budget.teams[team] ?? budget.otherTeams;
  const spent = options.ledger.spent(team, options.now);
  const base = { team, teamSource: source, limits, caps: budget.perInvestigation, spent };
  if (!options.hasModels)
    return {
      ...base,
      mode: 'deterministic',
      reason: 'no model is configured (models in the config), so the investigation is deterministic only',
    };
  const over: string[] = [];
  if (limits.dailyUsd !== undefined && spent.dayUsd >= limits.dailyUsd)
    over.push(`${money(spent.dayUsd)} of its daily ${money(limits.dailyUsd)}`);
  if (limits.monthlyUsd !== undefined && spent.monthUsd >= limits.monthlyUsd)
    over.push(`${money(spent.monthUsd)} of its monthly ${money(limits.monthlyUsd)}`);
  if (over.length > 0) {
    return {
      ...base,
      mode: 'deterministic',
      reason: `team ${team} is over budget (spent ${over.join(' and ')}): deterministic investigation only, no model call. Raise budget.teams.${team} or wait for the next period.`,
    };
  }
  const left = [
    limits.dailyUsd !== undefined ? `${money(spent.dayUsd)} of ${money(limits.dailyUsd)} today` : 'no daily limit',
    limits.monthlyUsd !== undefined
      ? `${money(spent.monthUsd)} of ${money(limits.monthlyUsd)} this month`
      : 'no monthly limit',
  ];
  const caps = budget.perInvestigation;
  return {
    ...base,
    mode: 'llm',
    reason: `team ${team} (${source}): ${left.join(', ')}; caps ${caps.maxSteps} steps, ${caps.maxToolCalls} tool calls, ${caps.maxInputTokens} input / ${caps.maxOutputTokens} output tokens, ${money(caps.maxUsd)}`,
  };
}
