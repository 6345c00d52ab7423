import type { Alert } from '../../core/alert.js';
import type { InvestigationResult } from '../../core/investigation.js';
import { MAX_ATTEMPTS, type InvestigationRow, type InvestigationStore } from '../investigation-types.js';
import { storedJson, storedText } from '../stored-text.js';
import { transaction, type PgPool } from './open-postgres.js';
import { acceptNotificationAlone, acceptNotifications } from './postgres-intake.js';

const COLUMNS = `id, group_key AS "groupKey", source, alertname, namespace, team, state, mode, created_at AS "createdAt",
  started_at AS "startedAt", finished_at AS "finishedAt", resolved_at AS "resolvedAt", attempts, alert_count AS "alertCount",
  root_cause AS "rootCause", error, requested_by AS "requestedBy"`;

const GIVE_UP = `interrupted ${MAX_ATTEMPTS} times; giving up`;

/**
 * The investigation store in PostgreSQL, shared by every replica. What one replica kept by its
 * single writer is kept here by the schema: alerts are unique by (fingerprint, startsAt), a group
 * has one open investigation (a partial unique index), the group's row is locked while alerts are
 * attached to it, and workers claim with FOR UPDATE SKIP LOCKED under a lease they renew.
 */
export function createPostgresInvestigationStore(pool: PgPool): InvestigationStore {
  async function alertsOf(id: string): Promise<Alert[]> {
    const rows = await pool.query<{ payload: string }>(
      `SELECT payload FROM alerts WHERE investigation_id = $1 ORDER BY starts_at, id`,
      [id],
    );
    return rows.rows.map((row) => JSON.parse(row.payload) as Alert);
  }

  return {
    accept: (alerts, options) => acceptNotificationAlone(pool, alerts, options),
    acceptMany: (items) => acceptNotifications(pool, items),
    async claimNext(lease, now = new Date()) {
      const at = now.toISOString();
      const until = new Date(now.getTime() + lease.ms).toISOString();
      const claimed = await transaction(pool, async (client) => {
        await client.query(
          `UPDATE investigations SET state = 'failed', finished_at = $1, error = $2, lease_owner = NULL, lease_until = NULL
           WHERE state = 'running' AND lease_until < $1 AND attempts >= ${MAX_ATTEMPTS}`,
          [at, GIVE_UP],
        );
        const rows = await client.query<{ id: string; attempts: number; requestedBy: string | null }>(
          `UPDATE investigations SET state = 'running', started_at = $1, attempts = attempts + 1, lease_owner = $2, lease_until = $3
           WHERE id = (SELECT id FROM investigations WHERE state = 'queued' OR (state = 'running' AND lease_until < $1)
                       ORDER BY created_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED)
           RETURNING id, attempts, requested_by AS "requestedBy"`,
          [at, lease.owner, until],
        );
        return rows.rows[0];
      });
      return claimed && { ...claimed, alerts: await alertsOf(claimed.id) };
    },
    async renew(ids, lease, now = new Date()) {
      if (ids.length === 0) return 0;
      const until = new Date(now.getTime() + lease.ms).toISOString();
      const result = await pool.query(
        `UPDATE investigations SET lease_until = $1 WHERE id = ANY($2::text[]) AND state = 'running' AND lease_owner = $3`,
        [until, [...ids], lease.owner],
      );
      return result.rowCount!;
    },
    async finish(id: string, result: InvestigationResult, owner: string, now = new Date()) {
      const updated = await pool.query(
        `UPDATE investigations SET state = $2, mode = $3, finished_at = $4, root_cause = $5, result = $6, error = NULL,
           lease_owner = NULL, lease_until = NULL
         WHERE id = $1 AND state = 'running' AND lease_owner = $7`,
        [id, result.status, result.mode, now.toISOString(), result.rootCause?.id ?? null, storedJson(result), owner],
      );
      return updated.rowCount === 1;
    },
    async fail(id, error, owner, now = new Date()) {
      await pool.query(
        `UPDATE investigations SET state = 'failed', finished_at = $2, error = $3, lease_owner = NULL, lease_until = NULL
         WHERE id = $1 AND state = 'running' AND lease_owner = $4`,
        [id, now.toISOString(), storedText(error), owner],
      );
    },
    async rerun(id, requestedBy) {
      const result = await pool.query(
        `UPDATE investigations SET state = 'queued', attempts = 0, error = NULL, requested_by = $2
         WHERE id = $1 AND state NOT IN ('queued', 'running')`,
        [id, requestedBy],
      );
      return result.rowCount === 1;
    },
    async findAlert(query) {
      const row = (
        await pool.query<{ payload: string; investigationId: string }>(
          `SELECT payload, investigation_id AS "investigationId" FROM alerts
           WHERE (alertname = $1 OR fingerprint = $1) AND investigation_id IS NOT NULL
           ORDER BY received_at DESC, id DESC LIMIT 1`,
          [query],
        )
      ).rows[0];
      return row ? { alert: JSON.parse(row.payload) as Alert, investigationId: row.investigationId } : undefined;
    },
    async requeue(id, owner) {
      await pool.query(
        `UPDATE investigations SET state = 'queued', attempts = greatest(attempts - 1, 0), lease_owner = NULL, lease_until = NULL
         WHERE id = $1 AND state = 'running' AND lease_owner = $2`,
        [id, owner],
      );
    },
    // Other replicas may be running work: only what no lease covers any more (or ever did) goes back.
    async recover(now = new Date()) {
      const result = await pool.query(
        `UPDATE investigations SET state = CASE WHEN attempts >= ${MAX_ATTEMPTS} THEN 'failed' ELSE 'queued' END,
           error = CASE WHEN attempts >= ${MAX_ATTEMPTS} THEN $2 ELSE error END, lease_owner = NULL, lease_until = NULL
         WHERE state = 'running' AND (lease_until IS NULL OR lease_until < $1)`,
        [now.toISOString(), GIVE_UP],
      );
      return result.rowCount!;
    },
    async queueDepth() {
      return (
        await pool.query<{ count: number }>(`SELECT count(*) AS count FROM investigations WHERE state = 'queued'`)
      ).rows[0]!.count;
    },
    async countsByState() {
      const rows = await pool.query<{ state: string; count: number }>(
        `SELECT state, count(*) AS count FROM investigations GROUP BY state`,
      );
      return Object.fromEntries(rows.rows.map((row) => [row.state, row.count]));
    },
    async get(id) {
      const row = (
        await pool.query<InvestigationRow & { result: string | null }>(
          `SELECT ${COLUMNS}, result FROM investigations WHERE id = $1`,
          [id],
        )
      ).rows[0];
      if (!row) return undefined;
      return {
        ...row,
        result: row.result ? (JSON.parse(row.result) as InvestigationResult) : null,
        alerts: await alertsOf(id),
      };
    },
    async list(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => (params.push(value), where.push(`${sql} $${params.length}`));
      if (filter.state) add('state =', filter.state);
      if (filter.alertname) add('alertname =', filter.alertname);
      if (filter.team) add('team =', filter.team);
      if (filter.since) add('created_at >=', filter.since);
      params.push(Math.min(filter.limit ?? 100, 1000));
      const rows = await pool.query<InvestigationRow>(
        `SELECT ${COLUMNS} FROM investigations ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, seq DESC LIMIT $${params.length}`,
        params,
      );
      return rows.rows;
    },
  };
}
