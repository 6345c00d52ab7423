import type { TeamLimits } from '../core/llm-outcome.js';

/** One metered event: a model call attempt (usage as the provider reported it) or a tool call. */
export interface UsageEvent {
  recordId?: string | undefined;
  team: string;
  namespace?: string | null | undefined;
  alertname?: string | null | undefined;
  kind: 'model' | 'tool';
  /** Model calls: turn, answer, summary (compaction). */
  purpose?: string | undefined;
  model?: string | undefined;
  provider?: string | undefined;
  /** Tool calls: the tool; model calls: the tools whose results this call read. */
  tool?: string | undefined;
  /** ok, or why the attempt failed (rate-limit, auth, server, timeout …). */
  outcome: string;
  /** The whole prompt: cache reads and writes included. */
  inputTokens: number;
  cachedTokens: number;
  cacheWriteTokens?: number;
  outputTokens: number;
  usd: number;
  /** True when the figures are ours: no usage reported, or a call that timed out or was cut off. */
  estimated?: boolean;
  /** `over-reservation`: the provider reported far more than the call's worst case. */
  flag?: string | undefined;
}

export type { TeamLimits } from '../core/llm-outcome.js';

export type ReserveOutcome =
  | { ok: true; id: string }
  | {
      ok: false;
      period: 'day' | 'month';
      limitUsd: number;
      spentUsd: number;
      reservedUsd: number;
      requestedUsd: number;
    };

export interface SpendRow {
  key: string;
  calls: number;
  inputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  usd: number;
  /** Calls counted from our estimate, not the provider's usage. */
  estimatedCalls: number;
  /** Calls whose usage was far above their reservation. */
  flaggedCalls: number;
}

/** Model usage per team and model, since the ledger began: what /metrics exports. */
export interface UsageTotal extends Omit<SpendRow, 'key'> {
  team: string;
  model: string;
}

/** Reservations older than this are from a call that cannot still be running. */
export const STALE_RESERVATION_MS = 60 * 60_000;

/**
 * The spend ledger: what each call cost, attributed to team, namespace, alert, model and tool,
 * and the reservations that keep concurrent investigations of one team inside its budget, across
 * processes and (on PostgreSQL) replicas. SQLite and PostgreSQL implement it.
 */
export interface SpendLedger {
  /** Records an event with no reservation (a tool call, a failed attempt). */
  record(event: UsageEvent): Promise<void>;
  /**
   * Holds `usd` against the team's daily and monthly limits, counting what is spent and what
   * other calls hold; refuses when the sum would cross a limit. Atomic across processes and replicas.
   */
  reserve(team: string, usd: number, limits: TeamLimits): Promise<ReserveOutcome>;
  /** Replaces a reservation by what the call actually cost, in one transaction. */
  settle(reservationId: string | undefined, event: UsageEvent): Promise<void>;
  release(reservationId: string): Promise<void>;
  spent(team: string, at?: Date): Promise<{ dayUsd: number; monthUsd: number }>;
  /** Model spend since a UTC day (YYYY-MM-DD), grouped by team, model, day, namespace, alert or tool. */
  spendBy(by: SpendGrouping, filter: { sinceDay: string; team?: string | undefined }): Promise<SpendRow[]>;
  /** Metered model usage of one record: what the ledger says it cost. */
  ofRecord(recordId: string): Promise<SpendRow>;
  /** Model usage per team and model since the ledger began (monotonic: counters for /metrics). */
  totals(): Promise<UsageTotal[]>;
}

export type SpendGrouping = 'team' | 'model' | 'day' | 'namespace' | 'alertname' | 'tool';

/** The first period whose limit `usd` more would cross, counting what is spent and held; undefined when it fits. */
export function overLimit(
  spent: { dayUsd: number; monthUsd: number },
  reservedUsd: number,
  usd: number,
  limits: TeamLimits,
): Extract<ReserveOutcome, { ok: false }> | undefined {
  const periods: Array<['day' | 'month', number | undefined, number]> = [
    ['day', limits.dailyUsd, spent.dayUsd],
    ['month', limits.monthlyUsd, spent.monthUsd],
  ];
  for (const [period, limitUsd, spentUsd] of periods) {
    if (limitUsd !== undefined && spentUsd + reservedUsd + usd > limitUsd)
      return { ok: false, period, limitUsd, spentUsd, reservedUsd, requestedUsd: usd };
  }
  return undefined;
}

/** The UTC day and the first day of its month, as the ledger keys periods. */
export function periodStarts(at: Date): { day: string; month: string } {
  const iso = at.toISOString();
  return { day: iso.slice(0, 10), month: `${iso.slice(0, 7)}-01` };
}
