import { randomUUID } from 'node:crypto';
import type { Alert } from '../../core/alert.js';
import type { InvestigationResult } from '../../core/investigation.js';
import { alertKey, QUEUE_FULL, type AlertKey } from '../alert-key.js';
import {
  MAX_ATTEMPTS,
  type AcceptOptions,
  type AcceptOutcome,
  type InvestigationRow,
  type InvestigationStore,
} from '../investigation-types.js';
import { storedJson, storedText } from '../stored-text.js';
import { transaction, type PgClient, type PgPool } from './open-postgres.js';

const COLUMNS = `id, group_key AS "groupKey", source, alertname, namespace, team, state, mode, created_at AS "createdAt",
  started_at AS "startedAt", finished_at AS "finishedAt", resolved_at AS "resolvedAt", attempts, alert_count AS "alertCount",
  root_cause AS "rootCause", error, requested_by AS "requestedBy"`;

const GIVE_UP = `interrupted ${MAX_ATTEMPTS} times; giving up`;

class QueueFullSignal extends Error {}

interface Fresh {
  key: AlertKey;
  alert: Alert;
  late: boolean;
}

/**
 * The investigation store in PostgreSQL, shared by every replica. What one replica kept by its
 * single writer is kept here by the schema: alerts are unique by (fingerprint, startsAt), a group
 * has one open investigation (a partial unique index), the group's row is locked while alerts are
 * attached to it, and workers claim with FOR UPDATE SKIP LOCKED under a lease they renew.
 */
export function createPostgresInvestigationStore(pool: PgPool): InvestigationStore {
  async function insertAlerts(
    client: PgClient,
    rows: Array<AlertKey & { alert: Alert }>,
    groupKey: string,
    at: string,
  ) {
    // One statement for the notification's firing alerts (ON CONFLICT is what deduplicates across
    // replicas) that also locks the group's open investigation, which attaching them needs next.
    const result = await client.query<{
      inserted: Array<[string, string]> | null;
      id: string | null;
      alertCount: number | null;
    }>(
      `WITH inserted AS (
         INSERT INTO alerts (fingerprint, starts_at, group_key, status, alertname, labels, payload, received_at)
         SELECT f, s, $3, 'firing', n, l, p, $4 FROM unnest($1::text[], $2::text[], $5::text[], $6::text[], $7::text[]) AS t(f, s, n, l, p)
         ON CONFLICT (fingerprint, starts_at) DO NOTHING RETURNING fingerprint, starts_at),
       open AS (SELECT id, alert_count FROM investigations WHERE group_key = $3 AND resolved_at IS NULL FOR UPDATE)
       SELECT (SELECT json_agg(json_build_array(fingerprint, starts_at)) FROM inserted) AS inserted,
              (SELECT id FROM open) AS id, (SELECT alert_count FROM open) AS "alertCount"`,
      [
        rows.map((row) => row.fingerprint),
        rows.map((row) => row.startsAt),
        groupKey,
        at,
        rows.map((row) => storedText(row.alert.labels.alertname ?? null)),
        rows.map((row) => storedJson(row.alert.labels)),
        rows.map((row) => storedJson(row.alert)),
      ],
    );
    const row = result.rows[0]!;
    return {
      inserted: new Set((row.inserted ?? []).map(([fingerprint, startsAt]) => `${fingerprint}\u0000${startsAt}`)),
      open: row.id === null ? undefined : { id: row.id, alertCount: row.alertCount! },
    };
  }

  async function accept(client: PgClient, alerts: Alert[], options: AcceptOptions): Promise<AcceptOutcome> {
    const at = (options.now ?? new Date()).toISOString();
    const groupKey = storedText(options.groupKey);
    const outcome: AcceptOutcome = { ...QUEUE_FULL, queueFull: false };
    const fresh: Fresh[] = [];
    const firing: Array<AlertKey & { alert: Alert; known: boolean }> = [];
    for (const alert of alerts) {
      const key = alertKey(alert);
      // A repeat of an alert sent without a start is the alert already firing with its fingerprint.
      const known = alert.startsAtInferred
        ? (
            await client.query<{ startsAt: string }>(
              `SELECT starts_at AS "startsAt" FROM alerts WHERE fingerprint = $1 AND status = 'firing' ORDER BY id DESC LIMIT 1`,
              [key.fingerprint],
            )
          ).rows[0]
        : undefined;
      if (known) key.startsAt = known.startsAt;
      if (alert.status === 'resolved') {
        const payload = storedJson(alert);
        const updated = (
          await client.query(
            `UPDATE alerts SET status = 'resolved', resolved_at = $3, payload = $4 WHERE fingerprint = $1 AND starts_at = $2 AND status = 'firing'`,
            [key.fingerprint, key.startsAt, at, payload],
          )
        ).rowCount!;
        if (updated > 0) {
          outcome.resolvedUpdated += updated;
          continue;
        }
        // A resolution of an alert we never saw firing is still recorded, as resolved.
        const inserted = await client.query(
          `INSERT INTO alerts (fingerprint, starts_at, group_key, status, alertname, labels, payload, received_at)
           VALUES ($1, $2, $3, 'resolved', $4, $5, $6, $7) ON CONFLICT (fingerprint, starts_at) DO NOTHING`,
          [
            key.fingerprint,
            key.startsAt,
            groupKey,
            storedText(alert.labels.alertname ?? null),
            storedJson(alert.labels),
            payload,
            at,
          ],
        );
        if (inserted.rowCount === 1) outcome.accepted += 1;
        else outcome.duplicates += 1;
        continue;
      }
      firing.push({ ...key, alert, known: Boolean(known) });
    }
    const toInsert = firing.filter((entry) => !entry.known);
    const written = toInsert.length > 0 ? await insertAlerts(client, toInsert, groupKey, at) : undefined;
    const inserted = written?.inserted ?? new Set<string>();
    for (const entry of firing) {
      const key = { fingerprint: entry.fingerprint, startsAt: entry.startsAt };
      if (entry.known) outcome.duplicates += 1;
      else if (inserted.has(`${key.fingerprint}\u0000${key.startsAt}`)) {
        // The same alert twice in one notification is inserted once: the second is a duplicate.
        inserted.delete(`${key.fingerprint}\u0000${key.startsAt}`);
        outcome.accepted += 1;
        fresh.push({ key, alert: entry.alert, late: false });
      } else {
        // A firing notification after its resolution (retries reorder them): the alert did fire.
        const late = await client.query(
          `UPDATE alerts SET resolved_at = $3 WHERE fingerprint = $1 AND starts_at = $2 AND status = 'resolved' AND resolved_at IS NULL`,
          [key.fingerprint, key.startsAt, at],
        );
        if (late.rowCount === 1) {
          outcome.accepted += 1;
          fresh.push({ key, alert: entry.alert, late: true });
        } else outcome.duplicates += 1;
      }
    }
    // The group's open investigation, locked: replicas attaching alerts to one group take turns.
    const openQuery = `SELECT id, alert_count AS "alertCount" FROM investigations WHERE group_key = $1 AND resolved_at IS NULL FOR UPDATE`;
    let open = written
      ? written.open
      : (await client.query<{ id: string; alertCount: number }>(openQuery, [groupKey])).rows[0];
    if (fresh.length > 0) {
      let created = false;
      if (!open) {
        const depth = await client.query<{ count: number }>(
          `SELECT count(*) AS count FROM investigations WHERE state = 'queued'`,
        );
        // Roll the whole notification back: Alertmanager retries it, and nothing is half-written.
        if (depth.rows[0]!.count >= options.maxQueue) throw new QueueFullSignal();
        const first = fresh[0]!.alert;
        const id = randomUUID();
        // The unique index decides a race between replicas: the loser attaches to the winner's row.
        const insertedRow = await client.query(
          `INSERT INTO investigations (id, group_key, source, alertname, namespace, team, state, created_at, alert_count)
           VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, 0)
           ON CONFLICT (group_key) WHERE resolved_at IS NULL DO NOTHING`,
          [
            id,
            groupKey,
            options.source,
            storedText(first.labels.alertname ?? null),
            storedText(first.labels.namespace ?? null),
            storedText(first.labels.team ?? null),
            at,
          ],
        );
        if (insertedRow.rowCount === 1) {
          created = true;
          open = { id, alertCount: 0 };
          // Every alert that started it had already resolved: investigated, but not open for the group's next alerts.
          if (fresh.every((entry) => entry.late))
            await client.query(`UPDATE investigations SET resolved_at = $1 WHERE id = $2`, [at, id]);
        } else open = (await client.query<{ id: string; alertCount: number }>(openQuery, [groupKey])).rows[0]!;
      }
      const investigationId = open.id;
      let attached = open.alertCount;
      let next = 0;
      // alert_count is the number attached; in a storm most alerts arrive with the group already full.
      // One statement attaches a slice and counts it on the investigation (the row is ours, locked above).
      while (attached < options.maxAlertsPerGroup && next < fresh.length) {
        const slice = fresh.slice(next, next + (options.maxAlertsPerGroup - attached));
        next += slice.length;
        const counted = await client.query<{ alertCount: number }>(
          `WITH attached AS (
             UPDATE alerts SET investigation_id = $1 FROM unnest($2::text[], $3::text[]) AS k(f, s)
             WHERE fingerprint = k.f AND starts_at = k.s AND investigation_id IS NULL RETURNING 1)
           UPDATE investigations SET alert_count = alert_count + (SELECT count(*) FROM attached)
           WHERE id = $1 AND EXISTS (SELECT 1 FROM attached) RETURNING alert_count AS "alertCount"`,
          [investigationId, slice.map((entry) => entry.key.fingerprint), slice.map((entry) => entry.key.startsAt)],
        );
        attached = counted.rows[0]?.alertCount ?? attached;
      }
      outcome.created = created;
      outcome.investigationId = investigationId;
    } else outcome.investigationId = open?.id;
    if (options.groupStatus === 'resolved')
      outcome.resolvedUpdated += (
        await client.query(`UPDATE investigations SET resolved_at = $1 WHERE group_key = $2 AND resolved_at IS NULL`, [
          at,
          groupKey,
        ])
      ).rowCount!;
    return outcome;
  }

  async function acceptOne(alerts: Alert[], options: AcceptOptions): Promise<AcceptOutcome> {
    try {
      return await transaction(pool, (client) => accept(client, alerts, options));
    } catch (error) {
      if (error instanceof QueueFullSignal) return { ...QUEUE_FULL };
      throw error;
    }
  }

  async function alertsOf(id: string): Promise<Alert[]> {
    const rows = await pool.query<{ payload: string }>(
      `SELECT payload FROM alerts WHERE investigation_id = $1 ORDER BY starts_at, id`,
      [id],
    );
    return rows.rows.map((row) => JSON.parse(row.payload) as Alert);
  }

  return {
    accept: acceptOne,
    /**
     * One transaction for the batch, in arrival order: one commit for them all. A notification
     * that fails (the queue full, bad data) must not take the others with it, as in SQLite: the
     * batch first runs without savepoints (two round trips fewer per notification, the storm's
     * common case), and only if one fails runs again with a savepoint around each. Two replicas'
     * batches may lock two groups in opposite orders: the server then aborts one (a deadlock),
     * and that batch runs again.
     */
    async acceptMany(items) {
      const fast = await transaction(pool, async (client) => {
        const outcomes: AcceptOutcome[] = [];
        for (const item of items) {
          try {
            outcomes.push(await accept(client, item.alerts, item.options));
          } catch (error) {
            const code = (error as { code?: string }).code;
            if (code === '40P01' || code === '40001') throw error;
            await client.query('ROLLBACK');
            // An open transaction again, so that transaction()'s COMMIT ends it having written nothing.
            await client.query('BEGIN');
            return undefined;
          }
        }
        return outcomes;
      });
      if (fast) return fast;
      return transaction(pool, async (client) => {
        const outcomes: Array<AcceptOutcome | Error> = new Array(items.length);
        for (const [index, item] of items.entries()) {
          await client.query('SAVEPOINT notification');
          try {
            outcomes[index] = await accept(client, item.alerts, item.options);
            await client.query('RELEASE SAVEPOINT notification');
          } catch (error) {
            const code = (error as { code?: string }).code;
            if (code === '40P01' || code === '40001') throw error;
            await client.query('ROLLBACK TO SAVEPOINT notification');
            outcomes[index] =
              error instanceof QueueFullSignal
                ? { ...QUEUE_FULL }
                : error instanceof Error
                  ? error
                  : new Error(String(error));
          }
        }
        return outcomes;
      });
    },
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
