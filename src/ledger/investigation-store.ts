import { randomUUID } from 'node:crypto';
import type { Alert } from '../core/alert.js';
import type { InvestigationResult } from '../core/investigation.js';
import type { Db } from './open-database.js';
import { storedJson, storedText } from './stored-text.js';

export type InvestigationState = 'queued' | 'running' | 'completed' | 'degraded' | 'budget-exceeded' | 'failed';

export interface AcceptOptions {
  groupKey: string;
  /** The group's status in this notification; `resolved` closes the group's open investigation. */
  groupStatus: 'firing' | 'resolved';
  source: 'webhook' | 'api' | 'pull';
  maxQueue: number;
  maxAlertsPerGroup: number;
  now?: Date;
}

export interface AcceptOutcome {
  accepted: number;
  duplicates: number;
  /** The group's investigation (new or existing), when the notification has one. */
  investigationId: string | undefined;
  created: boolean;
  resolvedUpdated: number;
  /** The queue is full: nothing was written; the sender should retry later. */
  queueFull: boolean;
}

export interface InvestigationRow {
  id: string;
  groupKey: string | null;
  source: string;
  alertname: string | null;
  namespace: string | null;
  team: string | null;
  state: InvestigationState;
  mode: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  resolvedAt: string | null;
  attempts: number;
  alertCount: number;
  rootCause: string | null;
  error: string | null;
  /** Who asked for the latest run (`slack:U…`), when someone did; null for alerts that arrived alone. */
  requestedBy: string | null;
}

export interface InvestigationFilter {
  state?: string;
  alertname?: string;
  team?: string;
  since?: string;
  limit?: number;
}

/** After this many starts without finishing, a job is failed instead of retried forever. */
const MAX_ATTEMPTS = 3;

const COLUMNS = `id, group_key AS groupKey, source, alertname, namespace, team, state, mode, created_at AS createdAt,
  started_at AS startedAt, finished_at AS finishedAt, resolved_at AS resolvedAt, attempts, alert_count AS alertCount,
  root_cause AS rootCause, error, requested_by AS requestedBy`;

/**
 * Alerts and the investigations they start, kept in SQLite: an alert is written before the
 * webhook answers, an investigation is a queue entry until a worker finishes it, and a group
 * (Alertmanager's groupKey) has one investigation while it keeps firing.
 */
export function createInvestigationStore(db: Db) {
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
    claim: db.prepare(
      `UPDATE investigations SET state = 'running', started_at = @at, attempts = attempts + 1
       WHERE id = (SELECT id FROM investigations WHERE state = 'queued' ORDER BY created_at, rowid LIMIT 1)
       RETURNING id, attempts, requested_by AS requestedBy`,
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
      `UPDATE investigations SET state = @state, mode = @mode, finished_at = @at, root_cause = @rootCause, result = @result, error = NULL WHERE id = @id AND state = 'running'`,
    ),
    fail: db.prepare(`UPDATE investigations SET state = 'failed', finished_at = @at, error = @error WHERE id = @id`),
    // A graceful requeue is not the job's fault: the attempt is given back, so only crashes count toward the limit.
    requeue: db.prepare(
      `UPDATE investigations SET state = 'queued', attempts = max(attempts - 1, 0) WHERE id = ? AND state = 'running'`,
    ),
    requeueRunning:
      db.prepare(`UPDATE investigations SET state = CASE WHEN attempts >= ${MAX_ATTEMPTS} THEN 'failed' ELSE 'queued' END,
       error = CASE WHEN attempts >= ${MAX_ATTEMPTS} THEN 'interrupted ${MAX_ATTEMPTS} times; giving up' ELSE error END WHERE state = 'running'`),
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

  return {
    /** Persists a notification's alerts and queues the group's investigation, all or nothing. */
    accept(alerts: Alert[], options: AcceptOptions): AcceptOutcome {
      try {
        return accept.immediate(alerts, options);
      } catch (error) {
        if (error instanceof QueueFullSignal) return { ...QUEUE_FULL };
        throw error;
      }
    },
    /**
     * Several notifications in one commit, each still all or nothing (a savepoint each): one
     * refused for a full queue or failing leaves the others in. The commit is what makes every
     * one of them durable, so nobody may be acknowledged before this returns.
     */
    acceptMany(items: ReadonlyArray<{ alerts: Alert[]; options: AcceptOptions }>): Array<AcceptOutcome | Error> {
      return acceptMany.immediate(items);
    },
    /** Takes the oldest queued investigation, with its alerts, and marks it running. */
    claimNext(
      now = new Date(),
    ): { id: string; attempts: number; requestedBy: string | null; alerts: Alert[] } | undefined {
      const claimed = statements.claim.get({ at: now.toISOString() }) as
        { id: string; attempts: number; requestedBy: string | null } | undefined;
      if (!claimed) return undefined;
      const alerts = (statements.alertsOf.all(claimed.id) as Array<{ payload: string }>).map(
        (row) => JSON.parse(row.payload) as Alert,
      );
      return { ...claimed, alerts };
    },
    finish(id: string, result: InvestigationResult, now = new Date()): boolean {
      return (
        statements.finish.run({
          id,
          state: result.status,
          mode: result.mode,
          at: now.toISOString(),
          rootCause: result.rootCause?.id ?? null,
          result: storedJson(result),
        }).changes === 1
      );
    },
    fail(id: string, error: string, now = new Date()): void {
      statements.fail.run({ id, error: storedText(error), at: now.toISOString() });
    },
    /** Queues a finished investigation again, on someone's request (attributed to them); false if not finished. */
    rerun(id: string, requestedBy: string): boolean {
      return statements.rerun.run({ id, requestedBy }).changes === 1;
    },
    /** The newest alert with this alert name or fingerprint that has an investigation. */
    findAlert(query: string): { alert: Alert; investigationId: string } | undefined {
      const row = statements.findAlert.get({ query }) as { payload: string; investigationId: string } | undefined;
      return row ? { alert: JSON.parse(row.payload) as Alert, investigationId: row.investigationId } : undefined;
    },
    /** Puts an unfinished job back (graceful shutdown). */
    requeue(id: string): void {
      statements.requeue.run(id);
    },
    /** At start: what a crash left running is queued again (or failed after repeated crashes). */
    recover(): number {
      return statements.requeueRunning.run().changes;
    },
    queueDepth(): number {
      return (statements.queueDepth.get() as { count: number }).count;
    },
    countsByState(): Record<string, number> {
      return Object.fromEntries(
        (statements.counts.all() as Array<{ state: string; count: number }>).map((row) => [row.state, row.count]),
      );
    },
    get(id: string): (InvestigationRow & { result: InvestigationResult | null; alerts: Alert[] }) | undefined {
      const row = statements.get.get(id) as (InvestigationRow & { result: string | null }) | undefined;
      if (!row) return undefined;
      const alerts = (statements.alertsOf.all(id) as Array<{ payload: string }>).map(
        (entry) => JSON.parse(entry.payload) as Alert,
      );
      return { ...row, result: row.result ? (JSON.parse(row.result) as InvestigationResult) : null, alerts };
    },
    list(filter: InvestigationFilter = {}): InvestigationRow[] {
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

interface AlertKey {
  fingerprint: string;
  startsAt: string;
}

// RFC 3339 with any offset and precision; Go's RFC3339Nano (what Alertmanager sends) is already canonical.
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i;

/**
 * What makes two notifications the same alert: its fingerprint and the instant it started, in
 * one form (UTC, no trailing zeros in the fraction), so `07:00:00+01:00` and `06:00:00.000Z` match.
 */
function alertKey(alert: Alert): AlertKey {
  return { fingerprint: storedText(alert.fingerprint), startsAt: canonicalInstant(alert.startsAt) };
}

function canonicalInstant(value: string): string {
  const match = RFC3339.exec(value);
  const ms = match ? Date.parse(`${match[1]}${match[3]!.toUpperCase()}`) : Number.NaN;
  if (!match || !Number.isFinite(ms)) return storedText(value);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return `${new Date(ms).toISOString().slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

const QUEUE_FULL: AcceptOutcome = {
  accepted: 0,
  duplicates: 0,
  investigationId: undefined,
  created: false,
  resolvedUpdated: 0,
  queueFull: true,
};

export type InvestigationStore = ReturnType<typeof createInvestigationStore>;
