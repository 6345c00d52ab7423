import { randomUUID } from 'node:crypto';
import type { Alert } from '../core/alert.js';
import type { InvestigationResult } from '../core/investigation.js';
import { alertKey, QUEUE_FULL, type AlertKey } from './alert-key.js';
import {
  MAX_ATTEMPTS,
  type AcceptOptions,
  type AcceptOutcome,
  type InvestigationFilter,
  type InvestigationRow,
  type InvestigationStore,
  type Lease,
  type StoredInvestigation,
} from './investigation-types.js';
import type { Db } from './open-database.js';
import { storedJson, storedText } from './stored-text.js';

export type * from './investigation-types.js';

const COLUMNS = `id, group_key AS groupKey, source, alertname, namespace, team, state, mode, created_at AS createdAt,
  started_at AS startedAt, finished_at AS finishedAt, resolved_at AS resolvedAt, attempts, alert_count AS alertCount,
  root_cause AS rootCause, error, requested_by AS requestedBy`;

/** The investigation store in SQLite: one process, writes serialised by the database's own lock. */
export function createInvestigationStore(db: Db): InvestigationStore {
  const statements = {
    insertAlert: db.prepare(
      `INSERT OR IGNORE INTO alerts (fingerprint, starts_at, group_key, status, alertname, labels, payload, received_at)
       VALUES (@fingerprint, @startsAt, @groupKey, @status, @alertname, @labels, @payload, @receivedAt)`,
    ),
    resolveAlert: db.prepare(
      `UPDATE alerts SET status = 'resolved', resolved_at = @at, payload = @payload WHERE fingerprint = @fingerprint AND starts_at = @startsAt AND status = 'firing'`,
    ),
    // An alert sent without a start: the one firing with its fingerprint, whatever its start.
    firingStart: db.prepare(
      `SELECT starts_at AS startsAt FROM alerts WHERE fingerprint = ? AND status = 'firing' ORDER BY id DESC LIMIT 1`,
    ),
    // A firing notification after its resolution (retries reorder them): the alert did fire.
    // Only a row inserted as resolved has no resolved_at: it was never seen firing.
    lateFiring: db.prepare(
      `UPDATE alerts SET resolved_at = @at WHERE fingerprint = @fingerprint AND starts_at = @startsAt AND status = 'resolved' AND resolved_at IS NULL`,
    ),
    resolveInvestigation: db.prepare(`UPDATE investigations SET resolved_at = ? WHERE id = ?`),
    openInvestigation: db.prepare(
      `SELECT id, alert_count AS alertCount FROM investigations WHERE group_key = ? AND resolved_at IS NULL ORDER BY created_at DESC LIMIT 1`,
    ),
    attachAlert: db.prepare(
      `UPDATE alerts SET investigation_id = @investigationId WHERE fingerprint = @fingerprint AND starts_at = @startsAt AND investigation_id IS NULL`,
    ),
    queueDepth: db.prepare(`SELECT count(*) AS count FROM investigations WHERE state = 'queued'`),
    createInvestigation: db.prepare(
      `INSERT INTO investigations (id, group_key, source, alertname, namespace, team, state, created_at, alert_count)
       VALUES (@id, @groupKey, @source, @alertname, @namespace, @team, 'queued', @createdAt, @alertCount)`,
    ),
    updateAlertCount: db.prepare(`UPDATE investigations SET alert_count = ? WHERE id = ?`),
    resolveGroup: db.prepare(
      `UPDATE investigations SET resolved_at = @at WHERE group_key = @groupKey AND resolved_at IS NULL`,
    ),
    // A lease that ran out belongs to a process that stopped renewing it: its work is taken over.
    expire: db.prepare(
      `UPDATE investigations SET state = 'failed', finished_at = @at, error = 'interrupted ${MAX_ATTEMPTS} times; giving up'
       WHERE state = 'running' AND lease_until < @at AND attempts >= ${MAX_ATTEMPTS}`,
    ),
    claim: db.prepare(
      `UPDATE investigations SET state = 'running', started_at = @at, attempts = attempts + 1, lease_owner = @owner, lease_until = @until
       WHERE id = (SELECT id FROM investigations WHERE state = 'queued' OR (state = 'running' AND lease_until < @at)
                   ORDER BY created_at, rowid LIMIT 1)
       RETURNING id, attempts, requested_by AS requestedBy`,
    ),
    renew: db.prepare(
      `UPDATE investigations SET lease_until = @until WHERE id = @id AND state = 'running' AND lease_owner = @owner`,
    ),
    // Only a finished investigation runs again; one queued or running already gives the newer answer.
    rerun: db.prepare(
      `UPDATE investigations SET state = 'queued', attempts = 0, error = NULL, requested_by = @requestedBy
       WHERE id = @id AND state NOT IN ('queued', 'running')`,
    ),
    findAlert: db.prepare(
      `SELECT payload, investigation_id AS investigationId FROM alerts
       WHERE (alertname = @query OR fingerprint = @query) AND investigation_id IS NOT NULL
       ORDER BY received_at DESC, id DESC LIMIT 1`,
    ),
    alertsOf: db.prepare(`SELECT payload FROM alerts WHERE investigation_id = ? ORDER BY starts_at, id`),
    finish: db.prepare(
      `UPDATE investigations SET state = @state, mode = @mode, finished_at = @at, root_cause = @rootCause, result = @result,
         error = NULL, lease_owner = NULL, lease_until = NULL
       WHERE id = @id AND state = 'running' AND lease_owner = @owner`,
    ),
    fail: db.prepare(
      `UPDATE investigations SET state = 'failed', finished_at = @at, error = @error, lease_owner = NULL, lease_until = NULL
       WHERE id = @id AND state = 'running' AND lease_owner = @owner`,
    ),
    // A graceful requeue is not the job's fault: the attempt is given back, so only crashes count toward the limit.
    requeue: db.prepare(
      `UPDATE investigations SET state = 'queued', attempts = max(attempts - 1, 0), lease_owner = NULL, lease_until = NULL
       WHERE id = @id AND state = 'running' AND lease_owner = @owner`,
    ),
    requeueRunning:
      db.prepare(`UPDATE investigations SET state = CASE WHEN attempts >= ${MAX_ATTEMPTS} THEN 'failed' ELSE 'queued' END,
       error = CASE WHEN attempts >= ${MAX_ATTEMPTS} THEN 'interrupted ${MAX_ATTEMPTS} times; giving up' ELSE error END,
       lease_owner = NULL, lease_until = NULL WHERE state = 'running'`),
    get: db.prepare(`SELECT ${COLUMNS}, result FROM investigations WHERE id = ?`),
    counts: db.prepare(`SELECT state, count(*) AS count FROM investigations GROUP BY state`),
  };

  const accept = db.transaction((alerts: Alert[], options: AcceptOptions): AcceptOutcome => {
    const at = (options.now ?? new Date()).toISOString();
    const groupKey = storedText(options.groupKey);
    const outcome: AcceptOutcome = {
      accepted: 0,
      duplicates: 0,
      investigationId: undefined,
      created: false,
      resolvedUpdated: 0,
      queueFull: false,
    };
    const fresh: Array<{ key: AlertKey; alert: Alert; late: boolean }> = [];
    for (const alert of alerts) {
      const key = alertKey(alert);
      // A repeat of an alert sent without a start is the alert already firing with its fingerprint.
      const known = alert.startsAtInferred
        ? (statements.firingStart.get(key.fingerprint) as { startsAt: string } | undefined)
        : undefined;
      if (known) key.startsAt = known.startsAt;
      const row = {
        ...key,
        groupKey,
        status: alert.status,
        alertname: storedText(alert.labels.alertname ?? null),
        labels: storedJson(alert.labels),
        payload: storedJson(alert),
        receivedAt: at,
      };
      if (alert.status === 'resolved') {
        // A resolution of an alert we never saw firing is still recorded, as resolved.
        const updated = statements.resolveAlert.run({ ...key, at, payload: row.payload }).changes;
        if (updated === 0 && statements.insertAlert.run(row).changes === 1) outcome.accepted += 1;
        else if (updated > 0) outcome.resolvedUpdated += updated;
        else outcome.duplicates += 1;
        continue;
      }
      if (known) outcome.duplicates += 1;
      else if (statements.insertAlert.run(row).changes === 1) {
        outcome.accepted += 1;
        fresh.push({ key, alert, late: false });
      } else if (statements.lateFiring.run({ ...key, at }).changes === 1) {
        outcome.accepted += 1;
        fresh.push({ key, alert, late: true });
      } else outcome.duplicates += 1;
    }
    const open = statements.openInvestigation.get(groupKey) as { id: string; alertCount: number } | undefined;
    if (fresh.length > 0) {
      let investigationId = open?.id;
      let attached = open?.alertCount ?? 0;
      if (!investigationId) {
        if ((statements.queueDepth.get() as { count: number }).count >= options.maxQueue) {
          // Roll the whole notification back: Alertmanager retries it, and nothing is half-written.
          throw new QueueFullSignal();
        }
        investigationId = randomUUID();
        const first = fresh[0]!.alert;
        statements.createInvestigation.run({
          id: investigationId,
          groupKey,
          source: options.source,
          alertname: storedText(first.labels.alertname ?? null),
          namespace: storedText(first.labels.namespace ?? null),
          team: storedText(first.labels.team ?? null),
          createdAt: at,
          alertCount: 0,
        });
        outcome.created = true;
        // Every alert that started it had already resolved: investigated, but not open for the group's next alerts.
        if (fresh.every((entry) => entry.late)) statements.resolveInvestigation.run(at, investigationId);
      }
      // alert_count is the number attached; in a storm most alerts arrive with the group already full.
      const before = attached;
      for (const { key } of fresh) {
        if (attached >= options.maxAlertsPerGroup) break;
        attached += statements.attachAlert.run({ investigationId, ...key }).changes;
      }
      if (attached !== before || outcome.created) statements.updateAlertCount.run(attached, investigationId);
      outcome.investigationId = investigationId;
    } else outcome.investigationId = open?.id;
    if (options.groupStatus === 'resolved')
      outcome.resolvedUpdated += statements.resolveGroup.run({ at, groupKey }).changes;
    return outcome;
  });

  // Nested in a transaction, better-sqlite3 runs `accept` in a savepoint.
  const acceptMany = db.transaction(
    (items: ReadonlyArray<{ alerts: Alert[]; options: AcceptOptions }>): Array<AcceptOutcome | Error> =>
      items.map((item) => {
        try {
          return accept(item.alerts, item.options);
        } catch (error) {
          if (error instanceof QueueFullSignal) return { ...QUEUE_FULL };
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
  );

  function alertsOf(id: string): Alert[] {
    return (statements.alertsOf.all(id) as Array<{ payload: string }>).map((row) => JSON.parse(row.payload) as Alert);
  }

  return {
    async accept(alerts, options) {
      try {
        return accept.immediate(alerts, options);
      } catch (error) {
        if (error instanceof QueueFullSignal) return { ...QUEUE_FULL };
        throw error;
      }
    },
    // One commit for the batch (a savepoint each): under a storm this saves a commit per notification.
    async acceptMany(items) {
      return acceptMany.immediate(items);
    },
    async claimNext(lease: Lease, now = new Date()) {
      const at = now.toISOString();
      const until = new Date(now.getTime() + lease.ms).toISOString();
      const claimed = db
        .transaction(() => {
          statements.expire.run({ at });
          return statements.claim.get({ at, until, owner: lease.owner }) as
            { id: string; attempts: number; requestedBy: string | null } | undefined;
        })
        .immediate();
      return claimed && { ...claimed, alerts: alertsOf(claimed.id) };
    },
    async renew(ids, lease, now = new Date()) {
      const until = new Date(now.getTime() + lease.ms).toISOString();
      return db.transaction(() =>
        ids.reduce((held, id) => held + statements.renew.run({ id, until, owner: lease.owner }).changes, 0),
      )();
    },
    async finish(id: string, result: InvestigationResult, owner: string, now = new Date()) {
      const changes = statements.finish.run({
        id,
        owner,
        state: result.status,
        mode: result.mode,
        at: now.toISOString(),
        rootCause: result.rootCause?.id ?? null,
        result: storedJson(result),
      }).changes;
      return changes === 1;
    },
    async fail(id, error, owner, now = new Date()) {
      statements.fail.run({ id, owner, error: storedText(error), at: now.toISOString() });
    },
    async rerun(id, requestedBy) {
      return statements.rerun.run({ id, requestedBy }).changes === 1;
    },
    async findAlert(query) {
      const row = statements.findAlert.get({ query }) as { payload: string; investigationId: string } | undefined;
      return row ? { alert: JSON.parse(row.payload) as Alert, investigationId: row.investigationId } : undefined;
    },
    async requeue(id, owner) {
      statements.requeue.run({ id, owner });
    },
    // One process owns a SQLite store: whatever is running at its start was left by a dead one.
    async recover() {
      return statements.requeueRunning.run().changes;
    },
    async queueDepth() {
      return (statements.queueDepth.get() as { count: number }).count;
    },
    async countsByState() {
      return Object.fromEntries(
        (statements.counts.all() as Array<{ state: string; count: number }>).map((row) => [row.state, row.count]),
      );
    },
    async get(id): Promise<StoredInvestigation | undefined> {
      const row = statements.get.get(id) as (InvestigationRow & { result: string | null }) | undefined;
      if (!row) return undefined;
      return {
        ...row,
        result: row.result ? (JSON.parse(row.result) as InvestigationResult) : null,
        alerts: alertsOf(id),
      };
    },
    async list(filter: InvestigationFilter = {}) {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: Math.min(filter.limit ?? 100, 1000) };
      if (filter.state) (where.push('state = @state'), (params.state = filter.state));
      if (filter.alertname) (where.push('alertname = @alertname'), (params.alertname = filter.alertname));
      if (filter.team) (where.push('team = @team'), (params.team = filter.team));
      if (filter.since) (where.push('created_at >= @since'), (params.since = filter.since));
      const sql = `SELECT ${COLUMNS} FROM investigations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, rowid DESC LIMIT @limit`;
      return db.prepare(sql).all(params) as InvestigationRow[];
    },
  };
}

class QueueFullSignal extends Error {}
