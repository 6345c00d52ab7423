import { formatUsd } from '../core/format-usd.js';
import type { BudgetDecision, Caps, MeteredUsage, Spent } from '../core/llm-outcome.js';
import type { SpendLedger, TeamLimits } from '../ledger/spend-ledger.js';
import type { ModelEntry } from './model-registry.js';
import type { TokenUsage } from './read-usage.js';

export type { BudgetDecision, Caps, MeteredUsage, Spent } from '../core/llm-outcome.js';

export interface Reservation {
  entry: ModelEntry;
  purpose: string;
  teamReservation: string | undefined;
  worstCase: { inputTokens: number; outputTokens: number; usd: number };
}

export interface Attribution {
  recordId: string;
  team: string;
  namespace?: string | undefined;
  alertname?: string | undefined;
}

export interface BudgetGuardOptions {
  caps: Caps;
  limits: TeamLimits;
  ledger: SpendLedger;
  attribution: Attribution;
  onDecision?: (decision: BudgetDecision) => void;
}

/** Purposes that are loop steps; a compaction summary is metered but takes no step. */
const STEP_PURPOSES = new Set(['turn', 'answer']);
/** Reported usage above this many times the call's worst case is flagged: a tokenizer far off, or a provider bug. */
export const OVER_RESERVATION_FACTOR = 2;

export function emptySpent(): Spent {
  return {
    steps: 0,
    modelCalls: 0,
    toolCalls: 0,
    inputTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    usd: 0,
    estimatedCalls: 0,
    flaggedCalls: 0,
  };
}

/** A call's worst case: every input token at the dearer of the input and cache-write rates, and max_tokens out. */
function worstCaseUsd(entry: ModelEntry, inputTokens: number, outputTokens: number): number {
  const plain = entry.usd({ inputTokens, cachedTokens: 0, cacheWriteTokens: 0, outputTokens });
  const written = entry.usd({ inputTokens, cachedTokens: 0, cacheWriteTokens: inputTokens, outputTokens });
  return Math.max(plain, written);
}

/**
 * Enforcement before every model call: the call's worst case (input counted locally with a
 * margin, max_tokens of output, both priced) is reserved against the investigation's caps and
 * the team's budgets, and refused if any would be crossed. Settling meters what the provider
 * reported, so the ledger holds real usage, not the reservation.
 */
export function createBudgetGuard(options: BudgetGuardOptions) {
  const { caps, ledger, attribution } = options;
  const spent = emptySpent();
  const decisions: BudgetDecision[] = [];
  const decide = (decision: Omit<BudgetDecision, 'at' | 'spent'>): BudgetDecision => {
    const full = { at: new Date().toISOString(), ...decision, spent: { ...spent } };
    decisions.push(full);
    options.onDecision?.(full);
    return full;
  };

  /**
   * Reserves a call's worst case, or refuses it. A refusal that another model could avoid (a
   * cheaper one, a smaller max_tokens) is recorded as `skip` when `fallback` says one is left to try.
   */
  async function reserve(request: {
    entry: ModelEntry;
    /** Input counted locally; the entry's estimate factor is applied here. */
    inputTokens: number;
    /** max_tokens of this call (fitted to the window). */
    outputTokens?: number;
    purpose: string;
    newStep: boolean;
    fallback?: boolean;
  }): Promise<{ ok: true; reservation: Reservation } | { ok: false; decision: BudgetDecision; anyModel: boolean }> {
    const { entry, purpose } = request;
    const inputTokens = Math.ceil(request.inputTokens * entry.inputEstimateFactor);
    const outputTokens = request.outputTokens ?? entry.maxOutputTokens;
    const usd = worstCaseUsd(entry, inputTokens, outputTokens);
    const worstCase = { inputTokens, outputTokens, usd };
    const refuse = (cap: string, reason: string, anyModel = false) => ({
      ok: false as const,
      anyModel,
      decision: decide({
        action: request.fallback && !anyModel ? 'skip' : 'refuse',
        purpose,
        model: entry.name,
        cap,
        reason,
        worstCase,
      }),
    });
    if (request.newStep && STEP_PURPOSES.has(purpose) && spent.steps + 1 > caps.maxSteps)
      return refuse('maxSteps', `step ${spent.steps + 1} would pass the cap of ${caps.maxSteps} steps`, true);
    if (spent.inputTokens + inputTokens > caps.maxInputTokens)
      return refuse(
        'maxInputTokens',
        `${spent.inputTokens} + up to ${inputTokens} input tokens would pass the cap of ${caps.maxInputTokens}`,
      );
    if (spent.outputTokens + outputTokens > caps.maxOutputTokens)
      return refuse(
        'maxOutputTokens',
        `${spent.outputTokens} + up to ${outputTokens} output tokens would pass the cap of ${caps.maxOutputTokens}`,
      );
    if (spent.usd + usd > caps.maxUsd)
      return refuse(
        'maxUsd',
        `${formatUsd(spent.usd)} + up to ${formatUsd(usd)} would pass the cap of ${formatUsd(caps.maxUsd)}`,
      );
    const team = await ledger.reserve(attribution.team, usd, options.limits);
    if (!team.ok) {
      return refuse(
        `team ${team.period === 'day' ? 'daily' : 'monthly'} budget`,
        `team ${attribution.team} has spent ${formatUsd(team.spentUsd)} (and ${formatUsd(team.reservedUsd)} is held) of its ${team.period === 'day' ? 'daily' : 'monthly'} ${formatUsd(team.limitUsd)}; this call could cost ${formatUsd(usd)}`,
      );
    }
    decide({ action: 'reserve', purpose, model: entry.name, worstCase });
    return { ok: true, reservation: { entry, purpose, teamReservation: team.id, worstCase } };
  }

  /**
   * Meters an attempt: the usage the provider reported. An attempt that failed without usage costs
   * nothing, unless the provider may have processed it (a timeout, a connection cut mid-answer):
   * then its reservation is charged, marked estimated. Usage far above the worst case is flagged.
   */
  async function settle(
    reservation: Reservation,
    outcome: { usage: TokenUsage | undefined; result: string; tools?: string[] | undefined; billable?: boolean },
  ): Promise<MeteredUsage> {
    const worst = reservation.worstCase;
    const charged = !outcome.usage && outcome.billable;
    const usage: TokenUsage =
      outcome.usage ??
      (charged
        ? {
            inputTokens: worst.inputTokens,
            cachedTokens: 0,
            cacheWriteTokens: 0,
            outputTokens: worst.outputTokens,
            estimated: true,
          }
        : { inputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, outputTokens: 0, estimated: false });
    const usd = charged ? worst.usd : reservation.entry.usd(usage);
    const over =
      !usage.estimated &&
      usage.inputTokens + usage.outputTokens > OVER_RESERVATION_FACTOR * (worst.inputTokens + worst.outputTokens);
    const metered: MeteredUsage = { ...usage, usd, ...(over ? { flag: 'over-reservation' } : {}) };
    await ledger.settle(reservation.teamReservation, {
      ...attribution,
      kind: 'model',
      purpose: reservation.purpose,
      model: reservation.entry.name,
      provider: reservation.entry.provider,
      tool: outcome.tools && outcome.tools.length > 0 ? [...new Set(outcome.tools)].sort().join(',') : undefined,
      outcome: outcome.result,
      inputTokens: usage.inputTokens,
      cachedTokens: usage.cachedTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      outputTokens: usage.outputTokens,
      usd,
      estimated: usage.estimated,
      flag: metered.flag,
    });
    spent.inputTokens += usage.inputTokens;
    spent.cachedTokens += usage.cachedTokens;
    spent.cacheWriteTokens += usage.cacheWriteTokens;
    spent.outputTokens += usage.outputTokens;
    spent.usd += usd;
    spent.modelCalls += 1;
    if (usage.estimated) spent.estimatedCalls += 1;
    if (over) spent.flaggedCalls += 1;
    if (outcome.result === 'ok' && STEP_PURPOSES.has(reservation.purpose)) spent.steps += 1;
    decide({
      action: 'settle',
      purpose: reservation.purpose,
      model: reservation.entry.name,
      usage: metered,
      reason: over
        ? `${outcome.result}; usage ${usage.inputTokens} in / ${usage.outputTokens} out is more than ${OVER_RESERVATION_FACTOR}× the ${worst.inputTokens} / ${worst.outputTokens} reserved`
        : charged
          ? `${outcome.result}; charged its reservation as an estimate (the provider may have processed it)`
          : outcome.result,
    });
    return metered;
  }

  return {
    spent,
    decisions,
    caps,
    reserve,
    settle,
    /** Takes one tool call of maxToolCalls, or refuses (recorded); counted at once, so parallel calls cannot pass the cap together. */
    admitToolCall(tool: string): { ok: true } | { ok: false; decision: BudgetDecision } {
      if (spent.toolCalls + 1 <= caps.maxToolCalls) {
        spent.toolCalls += 1;
        return { ok: true };
      }
      return {
        ok: false,
        decision: decide({
          action: 'refuse-tool',
          cap: 'maxToolCalls',
          reason: `tool call ${tool} would pass the cap of ${caps.maxToolCalls} tool calls`,
        }),
      };
    },
    /** Counts a tool call; its tokens are attributed to the tool in the ledger (they cost as input later). */
    recordToolCall(tool: string, outputTokens: number, result: string): Promise<void> {
      return ledger.record({
        ...attribution,
        kind: 'tool',
        tool,
        outcome: result,
        inputTokens: 0,
        cachedTokens: 0,
        outputTokens,
        usd: 0,
      });
    },
  };
}

export type BudgetGuard = ReturnType<typeof createBudgetGuard>;
