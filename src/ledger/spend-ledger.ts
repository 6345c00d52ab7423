import type { TeamLimits } from '../core/llm-outcome.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from './open-database.js';
import { processAlive } from './process-alive.js';

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

export interface SpendLedgerOptions {
  now?: () => Date;
}

/** Reservations older than this are from a call that cannot still be running. */
const STALE_RESERVATION_MS = 60 * 60_000;

const SUMS = [
  'count(*) AS calls',
  'coalesce(sum(input_tokens), 0) AS inputTokens',
  'coalesce(sum(cached_tokens), 0) AS cachedTokens',
  'coalesce(sum(cache_write_tokens), 0) AS cacheWriteTokens',
  'coalesce(sum(output_tokens), 0) AS outputTokens',
  'coalesce(sum(usd), 0) AS usd',
  'coalesce(sum(estimated), 0) AS estimatedCalls',
  'count(flag) AS flaggedCalls',
].join(', ');

/**
 * The spend ledger: what each call cost, attributed to team, namespace, alert, model and tool,
 * and the reservations that keep concurrent investigations of one team inside its budget.
 */
export function createSpendLedger(db: Db, options: SpendLedgerOptions = {}) {
  const now = options.now ?? (() => new Date());
  const host = hostname();
  const statements = {
    insert: db.prepare(
      `INSERT INTO usage_events (at, day, record_id, team, namespace, alertname, kind, purpose, model, provider, tool, outcome, input_tokens, cached_tokens, cache_write_tokens, output_tokens, usd, estimated, flag)
       VALUES (@at, @day, @recordId, @team, @namespace, @alertname, @kind, @purpose, @model, @provider, @tool, @outcome, @inputTokens, @cachedTokens, @cacheWriteTokens, @outputTokens, @usd, @estimated, @flag)`,
    ),
    spentSince: db.prepare(`SELECT coalesce(sum(usd), 0) AS usd FROM usage_events WHERE team = ? AND day >= ?`),
    reserved: db.prepare(`SELECT coalesce(sum(usd), 0) AS usd FROM budget_reservations WHERE team = ?`),
    reservations: db.prepare(`SELECT id, pid, host, created_at AS createdAt FROM budget_reservations`),
    addReservation: db.prepare(
      `INSERT INTO budget_reservations (id, team, usd, created_at, pid, host) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    removeReservation: db.prepare(`DELETE FROM budget_reservations WHERE id = ?`),
    ofRecord: db.prepare(`SELECT ${SUMS} FROM usage_events WHERE record_id = ? AND kind = 'model'`),
    totals: db.prepare(
      `SELECT team, coalesce(model, '-') AS model, ${SUMS} FROM usage_events WHERE kind = 'model' GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
  };

  function dropStale(at: Date): void {
    for (const row of statements.reservations.all() as Array<{
      id: string;
      pid: number;
      host: string;
      createdAt: string;
    }>) {
      const old = at.getTime() - Date.parse(row.createdAt) > STALE_RESERVATION_MS;
      if (old || !processAlive(row.pid, row.host)) statements.removeReservation.run(row.id);
    }
  }

  function insert(event: UsageEvent, at: Date): void {
    const iso = at.toISOString();
    statements.insert.run({
      at: iso,
      day: iso.slice(0, 10),
      recordId: event.recordId ?? null,
      team: event.team,
      namespace: event.namespace ?? null,
      alertname: event.alertname ?? null,
      kind: event.kind,
      purpose: event.purpose ?? null,
      model: event.model ?? null,
      provider: event.provider ?? null,
      tool: event.tool ?? null,
      outcome: event.outcome,
      inputTokens: event.inputTokens,
      cachedTokens: event.cachedTokens,
      cacheWriteTokens: event.cacheWriteTokens ?? 0,
      outputTokens: event.outputTokens,
      usd: event.usd,
      estimated: event.estimated ? 1 : 0,
      flag: event.flag ?? null,
    });
  }

  function spent(team: string, at = now()): { dayUsd: number; monthUsd: number } {
    const iso = at.toISOString();
    return {
      dayUsd: (statements.spentSince.get(team, iso.slice(0, 10)) as { usd: number }).usd,
      monthUsd: (statements.spentSince.get(team, `${iso.slice(0, 7)}-01`) as { usd: number }).usd,
    };
  }

  const reserve = db.transaction((team: string, usd: number, limits: TeamLimits): ReserveOutcome => {
    const at = now();
    dropStale(at);
    const already = spent(team, at);
    const reservedUsd = (statements.reserved.get(team) as { usd: number }).usd;
    const periods: Array<['day' | 'month', number | undefined, number]> = [
      ['day', limits.dailyUsd, already.dayUsd],
      ['month', limits.monthlyUsd, already.monthUsd],
    ];
    for (const [period, limitUsd, spentUsd] of periods) {
      if (limitUsd !== undefined && spentUsd + reservedUsd + usd > limitUsd)
        return { ok: false, period, limitUsd, spentUsd, reservedUsd, requestedUsd: usd };
    }
    const id = randomUUID();
    statements.addReservation.run(id, team, usd, at.toISOString(), process.pid, host);
    return { ok: true, id };
  });

  const settle = db.transaction((reservationId: string | undefined, event: UsageEvent) => {
    if (reservationId) statements.removeReservation.run(reservationId);
    insert(event, now());
  });

  function grouped(column: string, filter: { sinceDay: string; team?: string | undefined }): SpendRow[] {
    const where = ['day >= @sinceDay', "kind = 'model'", ...(filter.team ? ['team = @team'] : [])];
    return db
      .prepare(
        `SELECT coalesce(${column}, '-') AS key, ${SUMS} FROM usage_events WHERE ${where.join(' AND ')} GROUP BY 1 ORDER BY 1`,
      )
      .all({ sinceDay: filter.sinceDay, ...(filter.team ? { team: filter.team } : {}) }) as SpendRow[];
  }

  return {
    /** Records an event with no reservation (a tool call, a failed attempt). */
    record(event: UsageEvent): void {
      insert(event, now());
    },
    /**
     * Holds `usd` against the team's daily and monthly limits, counting what is spent and what
     * other calls hold; refuses when the sum would cross a limit. Atomic across processes.
     */
    reserve(team: string, usd: number, limits: TeamLimits): ReserveOutcome {
      return reserve.immediate(team, usd, limits);
    },
    /** Replaces a reservation by what the call actually cost. */
    settle(reservationId: string | undefined, event: UsageEvent): void {
      settle.immediate(reservationId, event);
    },
    release(reservationId: string): void {
      statements.removeReservation.run(reservationId);
    },
    spent,
    /** Model spend since a UTC day (YYYY-MM-DD), grouped by team, model, day, namespace, alert or tool. */
    spendBy(
      by: 'team' | 'model' | 'day' | 'namespace' | 'alertname' | 'tool',
      filter: { sinceDay: string; team?: string | undefined },
    ): SpendRow[] {
      return grouped(by, filter);
    },
    /** Metered model usage of one record: what the ledger says it cost. */
    ofRecord(recordId: string): SpendRow {
      return { key: recordId, ...(statements.ofRecord.get(recordId) as Omit<SpendRow, 'key'>) };
    },
    /** Model usage per team and model since the ledger began (monotonic: counters for /metrics). */
    totals(): UsageTotal[] {
      return statements.totals.all() as UsageTotal[];
    },
  };
}

export type SpendLedger = ReturnType<typeof createSpendLedger>;
