import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { processAlive } from '../process-alive.js';
import { usageRow, type SpendLedgerOptions } from '../spend-ledger.js';
import {
  overLimit,
  periodStarts,
  STALE_RESERVATION_MS,
  type SpendLedger,
  type SpendRow,
  type UsageEvent,
  type UsageTotal,
} from '../spend-ledger-types.js';
import { transaction, type PgClient, type PgPool } from './open-postgres.js';
import { REPLICA_LOCK_CLASS, replicaSession } from './replica-session.js';

const SUMS = [
  'count(*) AS calls',
  'coalesce(sum(input_tokens), 0) AS "inputTokens"',
  'coalesce(sum(cached_tokens), 0) AS "cachedTokens"',
  'coalesce(sum(cache_write_tokens), 0) AS "cacheWriteTokens"',
  'coalesce(sum(output_tokens), 0) AS "outputTokens"',
  'coalesce(sum(usd), 0) AS usd',
  'coalesce(sum(estimated), 0) AS "estimatedCalls"',
  'count(flag) AS "flaggedCalls"',
].join(', ');

const INSERT = `INSERT INTO usage_events (at, day, record_id, team, namespace, alertname, kind, purpose, model, provider, tool, outcome, input_tokens, cached_tokens, cache_write_tokens, output_tokens, usd, estimated, flag)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`;

const GROUPINGS = new Set(['team', 'model', 'day', 'namespace', 'alertname', 'tool']);

async function insert(client: PgClient | PgPool, event: UsageEvent, at: Date): Promise<void> {
  await client.query(INSERT, Object.values(usageRow(event, at)));
}

/** Takes the team's row lock (creating the row once): every reservation and settlement of a team queues behind it. */
async function lockTeam(client: PgClient, team: string): Promise<void> {
  await client.query('INSERT INTO budget_teams (team) VALUES ($1) ON CONFLICT DO NOTHING', [team]);
  await client.query('SELECT team FROM budget_teams WHERE team = $1 FOR UPDATE', [team]);
}

/**
 * The spend ledger on PostgreSQL, shared by every replica. A reservation locks the team's row
 * (SELECT … FOR UPDATE), then reads what is spent and held in one statement and adds its hold in
 * the same transaction; a settlement takes the same lock to swap the hold for the metered usage.
 * So N replicas reserving for one team are served one at a time, each seeing the others' holds.
 * Each hold carries its replica's session key (replicaSession): a dead replica's holds go at once.
 */
export function createPostgresSpendLedger(pool: PgPool, options: SpendLedgerOptions = {}): SpendLedger {
  const now = options.now ?? (() => new Date());
  const host = hostname();
  const session = replicaSession(pool);

  /**
   * Holds of this team whose call cannot still be running: too old, or made by a replica whose
   * session lock is free (its connection ended: the process died, on any host), or, for holds
   * from before session keys, by a process on this host that is gone. Trying a dead replica's
   * lock takes it until this transaction ends; a live replica's is refused and left alone.
   */
  async function dropStale(client: PgClient, team: string, at: Date): Promise<void> {
    const { rows } = await client.query<{
      id: string;
      pid: number;
      host: string;
      created_at: string;
      session_key: number | null;
      orphaned: boolean;
    }>(
      `SELECT id, pid, host, created_at, session_key,
         (session_key IS NOT NULL AND pg_try_advisory_xact_lock($2, session_key)) AS orphaned
       FROM budget_reservations WHERE team = $1`,
      [team, REPLICA_LOCK_CLASS],
    );
    const stale = rows
      .filter(
        (row) =>
          at.getTime() - Date.parse(row.created_at) > STALE_RESERVATION_MS ||
          row.orphaned ||
          (row.session_key === null && !processAlive(row.pid, row.host)),
      )
      .map((row) => row.id);
    if (stale.length > 0) await client.query('DELETE FROM budget_reservations WHERE id = ANY($1)', [stale]);
  }

  async function spent(team: string, at = now()) {
    const { day, month } = periodStarts(at);
    const { rows } = await pool.query<{ dayUsd: number; monthUsd: number }>(
      `SELECT coalesce(sum(usd) FILTER (WHERE day >= $2), 0) AS "dayUsd", coalesce(sum(usd), 0) AS "monthUsd"
       FROM usage_events WHERE team = $1 AND day >= $3`,
      [team, day, month],
    );
    return rows[0]!;
  }

  return {
    record: (event) => insert(pool, event, now()),
    reserve: async (team, usd, limits) => {
      // Taken before the transaction: the first hold of this replica opens its session.
      const key = await session.key();
      return transaction(pool, async (client) => {
        const at = now();
        await lockTeam(client, team);
        await dropStale(client, team, at);
        const { day, month } = periodStarts(at);
        // One statement, one snapshot: spent and held are read together.
        const { rows } = await client.query<{ dayUsd: number; monthUsd: number; reservedUsd: number }>(
          `SELECT
             (SELECT coalesce(sum(usd), 0) FROM usage_events WHERE team = $1 AND day >= $2) AS "dayUsd",
             (SELECT coalesce(sum(usd), 0) FROM usage_events WHERE team = $1 AND day >= $3) AS "monthUsd",
             (SELECT coalesce(sum(usd), 0) FROM budget_reservations WHERE team = $1) AS "reservedUsd"`,
          [team, day, month],
        );
        const { reservedUsd, ...already } = rows[0]!;
        const refused = overLimit(already, reservedUsd, usd, limits);
        if (refused) return refused;
        const id = randomUUID();
        await client.query(
          'INSERT INTO budget_reservations (id, team, usd, created_at, pid, host, session_key) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [id, team, usd, at.toISOString(), process.pid, host, key],
        );
        return { ok: true as const, id };
      });
    },
    settle: (reservationId, event) =>
      transaction(pool, async (client) => {
        if (reservationId) {
          await lockTeam(client, event.team);
          await client.query('DELETE FROM budget_reservations WHERE id = $1', [reservationId]);
        }
        await insert(client, event, now());
      }),
    release: async (reservationId) =>
      void (await pool.query('DELETE FROM budget_reservations WHERE id = $1', [reservationId])),
    // The team row is not locked here: a read for display or admission, not a hold.
    spent,
    spendBy: async (by, filter) => {
      // The column is one of a fixed set, never text from outside.
      if (!GROUPINGS.has(by)) throw new Error(`unknown grouping ${by}`);
      const { rows } = await pool.query<SpendRow>(
        `SELECT coalesce(${by}, '-') AS key, ${SUMS} FROM usage_events
         WHERE day >= $1 AND kind = 'model' AND ($2::text IS NULL OR team = $2)
         GROUP BY 1 ORDER BY coalesce(${by}, '-') COLLATE "C"`,
        [filter.sinceDay, filter.team ?? null],
      );
      return rows;
    },
    ofRecord: async (recordId) => {
      const { rows } = await pool.query<Omit<SpendRow, 'key'>>(
        `SELECT ${SUMS} FROM usage_events WHERE record_id = $1 AND kind = 'model'`,
        [recordId],
      );
      return { key: recordId, ...rows[0]! };
    },
    totals: async () =>
      (
        await pool.query<UsageTotal>(
          `SELECT team, coalesce(model, '-') AS model, ${SUMS} FROM usage_events WHERE kind = 'model'
           GROUP BY 1, 2 ORDER BY team COLLATE "C", coalesce(model, '-') COLLATE "C"`,
        )
      ).rows,
  };
}
