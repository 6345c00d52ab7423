import { randomUUID } from 'node:crypto';
import type { Alert } from '../../core/alert.js';
import { alertKey, QUEUE_FULL, type AlertKey } from '../alert-key.js';
import type { AcceptOptions, AcceptOutcome } from '../investigation-types.js';
import { storedJson, storedText } from '../stored-text.js';
import { transaction, type PgClient, type PgPool } from './open-postgres.js';

/**
 * Intake on PostgreSQL: one notification's alerts persisted, deduplicated across replicas by
 * unique keys, and attached to its group's one open investigation under that row's lock.
 */
/** Thrown to roll a notification back when the queue is full: Alertmanager sends it again. */
class QueueFullSignal extends Error {}

interface Fresh {
  key: AlertKey;
  alert: Alert;
  late: boolean;
}

async function insertAlerts(client: PgClient, rows: Array<AlertKey & { alert: Alert }>, groupKey: string, at: string) {
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

export async function acceptNotification(
  client: PgClient,
  alerts: Alert[],
  options: AcceptOptions,
): Promise<AcceptOutcome> {
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

/** One notification in its own transaction; a full queue writes nothing and says so. */
export async function acceptNotificationAlone(
  pool: PgPool,
  alerts: Alert[],
  options: AcceptOptions,
): Promise<AcceptOutcome> {
  try {
    return await transaction(pool, (client) => acceptNotification(client, alerts, options));
  } catch (error) {
    if (error instanceof QueueFullSignal) return { ...QUEUE_FULL };
    throw error;
  }
}

const RETRIED_BY_TRANSACTION = new Set(['40P01', '40001']);

/**
 * A batch of notifications in one transaction, in arrival order: one commit for them all. Without
 * `isolated` a failing notification rolls the batch back and the answer is undefined; with it a
 * savepoint around each keeps the others, the failing one answered by QUEUE_FULL or its error.
 * A deadlock or serialization failure is thrown for transaction() to run the batch again.
 */
async function acceptBatch(
  pool: PgPool,
  items: ReadonlyArray<{ alerts: Alert[]; options: AcceptOptions }>,
  isolated: boolean,
): Promise<Array<AcceptOutcome | Error> | undefined> {
  return transaction(pool, async (client) => {
    const outcomes: Array<AcceptOutcome | Error> = [];
    for (const item of items) {
      if (isolated) await client.query('SAVEPOINT notification');
      try {
        outcomes.push(await acceptNotification(client, item.alerts, item.options));
        if (isolated) await client.query('RELEASE SAVEPOINT notification');
      } catch (error) {
        if (RETRIED_BY_TRANSACTION.has((error as { code?: string }).code ?? '')) throw error;
        if (!isolated) {
          // An open transaction again, so that transaction()'s COMMIT ends it having written nothing.
          await client.query('ROLLBACK');
          await client.query('BEGIN');
          return undefined;
        }
        await client.query('ROLLBACK TO SAVEPOINT notification');
        outcomes.push(
          error instanceof QueueFullSignal
            ? { ...QUEUE_FULL }
            : error instanceof Error
              ? error
              : new Error(String(error)),
        );
      }
    }
    return outcomes;
  });
}

/**
 * A notification that fails (the queue full, bad data) must not take the others of its batch
 * with it, as in SQLite; but savepoints cost two round trips per notification. So the batch first
 * runs without them (the storm's common case), and only if one fails runs again with them. Two
 * replicas' batches may lock two groups in opposite orders: the server then aborts one (a
 * deadlock), and that batch runs again.
 */
export async function acceptNotifications(
  pool: PgPool,
  items: ReadonlyArray<{ alerts: Alert[]; options: AcceptOptions }>,
): Promise<Array<AcceptOutcome | Error>> {
  return (await acceptBatch(pool, items, false)) ?? (await acceptBatch(pool, items, true))!;
}
