import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from './open-database.js';
import { processAlive } from './process-alive.js';
import {
  overLimit,
  periodStarts,
  STALE_RESERVATION_MS,
  type ReserveOutcome,
  type SpendLedger,
  type SpendRow,
  type TeamLimits,
  type UsageEvent,
  type UsageTotal,
} from './spend-ledger-types.js';

export type * from './spend-ledger-types.js';

export interface SpendLedgerOptions {
  now?: () => Date;
}

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

/** The event as the usage_events columns hold it (both stores). */
export function usageRow(event: UsageEvent, at: Date) {
  const iso = at.toISOString();
  return {
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
  };
}

/** The spend ledger in SQLite: reservations are atomic across the processes sharing the file (BEGIN IMMEDIATE). */
export function createSpendLedger(db: Db, options: SpendLedgerOptions = {}): SpendLedger {
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

  function spent(team: string, at = now()): { dayUsd: number; monthUsd: number } {
    const { day, month } = periodStarts(at);
    return {
      dayUsd: (statements.spentSince.get(team, day) as { usd: number }).usd,
      monthUsd: (statements.spentSince.get(team, month) as { usd: number }).usd,
    };
  }

  const reserve = db.transaction((team: string, usd: number, limits: TeamLimits): ReserveOutcome => {
    const at = now();
    dropStale(at);
    const reservedUsd = (statements.reserved.get(team) as { usd: number }).usd;
    const refused = overLimit(spent(team, at), reservedUsd, usd, limits);
    if (refused) return refused;
    const id = randomUUID();
    statements.addReservation.run(id, team, usd, at.toISOString(), process.pid, host);
    return { ok: true, id };
  });

  const settle = db.transaction((reservationId: string | undefined, event: UsageEvent) => {
    if (reservationId) statements.removeReservation.run(reservationId);
    statements.insert.run(usageRow(event, now()));
  });

  // better-sqlite3 is synchronous: each method answers at once, behind the same promise shape as PostgreSQL.
  return {
    record: async (event) => void statements.insert.run(usageRow(event, now())),
    reserve: async (team, usd, limits) => reserve.immediate(team, usd, limits),
    settle: async (reservationId, event) => settle.immediate(reservationId, event),
    release: async (reservationId) => void statements.removeReservation.run(reservationId),
    spent: async (team, at) => spent(team, at),
    spendBy: async (by, filter) => {
      const where = ['day >= @sinceDay', "kind = 'model'", ...(filter.team ? ['team = @team'] : [])];
      return db
        .prepare(
          `SELECT coalesce(${by}, '-') AS key, ${SUMS} FROM usage_events WHERE ${where.join(' AND ')} GROUP BY 1 ORDER BY 1`,
        )
        .all({ sinceDay: filter.sinceDay, ...(filter.team ? { team: filter.team } : {}) }) as SpendRow[];
    },
    ofRecord: async (recordId) => ({ key: recordId, ...(statements.ofRecord.get(recordId) as Omit<SpendRow, 'key'>) }),
    totals: async () => statements.totals.all() as UsageTotal[],
  };
}
