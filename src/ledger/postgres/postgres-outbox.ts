import { toOutboxItem, type EnqueueOptions, type Outbox, type OutboxRow, type OutboxState } from '../outbox.js';
import { storedJson, storedText } from '../stored-text.js';
import { transaction, type PgPool } from './open-postgres.js';

const COLUMNS = `id, channel, key, kind, payload, state, attempts, version, last_error AS "lastError", result, created_at AS "createdAt"`;

/**
 * The outbox in PostgreSQL: replicas claim due items with FOR UPDATE SKIP LOCKED, so two never
 * send the same item at once, and an item whose sender died is claimed again when its lease ends.
 */
export function createPostgresOutbox(pool: PgPool, options: { now?: () => Date } = {}): Outbox {
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  return {
    async enqueue(channel, key, kind, payload, enqueueOptions: EnqueueOptions = {}) {
      const at = now();
      const nextAt = enqueueOptions.notBefore ?? at;
      const text = storedJson(payload);
      return transaction(pool, async (client) => {
        const inserted = await client.query<{ id: number }>(
          `INSERT INTO outbox (channel, key, kind, payload, state, next_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, 'pending', $5, $6, $6) ON CONFLICT (channel, key) DO NOTHING RETURNING id`,
          [channel, key, kind, text, nextAt, at],
        );
        if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true };
        const existing = (
          await client.query<{ id: number; state: OutboxState }>(
            `SELECT id, state FROM outbox WHERE channel = $1 AND key = $2 FOR UPDATE`,
            [channel, key],
          )
        ).rows[0]!;
        if (existing.state === 'done' && (enqueueOptions.whenDone ?? 'keep') === 'keep')
          return { id: existing.id, created: false };
        // A pending or failed item takes the newest payload; one being sent is requeued after it (see complete).
        await client.query(
          `UPDATE outbox SET kind = $2, payload = $3, version = version + 1,
             state = CASE WHEN state = 'sending' THEN state ELSE 'pending' END,
             next_at = $4, attempts = CASE WHEN state IN ('failed', 'done') THEN 0 ELSE attempts END,
             updated_at = $5, last_error = CASE WHEN state IN ('failed', 'done') THEN NULL ELSE last_error END
           WHERE id = $1`,
          [existing.id, kind, text, nextAt, at],
        );
        return { id: existing.id, created: false };
      });
    },
    async claim(channel, limit, leaseMs) {
      const at = now();
      const leaseUntil = new Date(Date.parse(at) + leaseMs).toISOString();
      const rows = await pool.query<OutboxRow>(
        `WITH due AS (
           SELECT id FROM outbox
           WHERE channel = $1 AND ((state = 'pending' AND next_at <= $2) OR (state = 'sending' AND lease_until <= $2))
           ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
         UPDATE outbox SET state = 'sending', lease_until = $4, attempts = outbox.attempts + 1, updated_at = $2
         FROM due WHERE outbox.id = due.id
         RETURNING outbox.id, channel, key, kind, payload, state, attempts, version, last_error AS "lastError", result, created_at AS "createdAt"`,
        [channel, at, limit, leaseUntil],
      );
      return rows.rows
        .sort((left, right) => left.id - right.id)
        .map((row) => ({ ...toOutboxItem(row), state: 'sending' as const, version: row.version }));
    },
    async complete(item, result = null) {
      // A payload replaced while it was being sent (a newer version) stays pending for another round.
      await pool.query(
        `UPDATE outbox SET state = CASE WHEN version > $2 THEN 'pending' ELSE 'done' END, lease_until = NULL,
           result = $3, last_error = NULL, updated_at = $4
         WHERE id = $1 AND state = 'sending'`,
        [item.id, item.version, storedJson(result), now()],
      );
    },
    async retry(item, error, delayMs) {
      await pool.query(
        `UPDATE outbox SET state = 'pending', lease_until = NULL, next_at = $2, last_error = $3 WHERE id = $1 AND state = 'sending'`,
        [item.id, new Date(Date.parse(now()) + delayMs).toISOString(), storedText(error)],
      );
    },
    async fail(item, error) {
      await pool.query(
        `UPDATE outbox SET state = 'failed', lease_until = NULL, last_error = $2, updated_at = $3 WHERE id = $1 AND state = 'sending'`,
        [item.id, storedText(error), now()],
      );
    },
    async get(channel, key) {
      const row = (
        await pool.query<OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE channel = $1 AND key = $2`, [channel, key])
      ).rows[0];
      return row ? toOutboxItem(row) : undefined;
    },
    async counts(channel) {
      const counts: Record<OutboxState, number> = { pending: 0, sending: 0, done: 0, failed: 0 };
      const rows = await pool.query<{ state: OutboxState; count: number }>(
        `SELECT state, count(*) AS count FROM outbox WHERE channel = $1 GROUP BY state`,
        [channel],
      );
      for (const row of rows.rows) counts[row.state] = row.count;
      return counts;
    },
    async countsByChannel() {
      return (
        await pool.query<{ channel: string; state: OutboxState; count: number }>(
          `SELECT channel, state, count(*) AS count FROM outbox GROUP BY channel, state ORDER BY channel, state`,
        )
      ).rows;
    },
  };
}
