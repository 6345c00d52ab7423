import type { Db } from './open-database.js';
import { storedJson, storedText } from './stored-text.js';

/**
 * Messages to outside systems (Slack, Jira) wait here until they are delivered, so an outage of
 * the receiver never blocks or loses an investigation. A `key` names what a message is about
 * (`post:<investigation>`), so the same message is never queued twice; an item being sent is
 * leased, and a lease that runs out (a crashed process) makes it claimable again.
 */
export const OUTBOX_TABLES = `
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    next_at TEXT NOT NULL,
    lease_until TEXT,
    last_error TEXT,
    result TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (channel, key)
  );
  CREATE INDEX outbox_due ON outbox (channel, state, next_at);`;

export type OutboxState = 'pending' | 'sending' | 'done' | 'failed';

export interface OutboxItem {
  id: number;
  channel: string;
  key: string;
  kind: string;
  payload: unknown;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  result: unknown;
  createdAt: string;
}

/** What one delivery attempt came to, as the receiver's adapter judges it. */
export type DeliveryOutcome =
  | { status: 'delivered'; result?: unknown }
  /** The receiver is down, rate-limited (429 with Retry-After) or answered 5xx: try again later. */
  | { status: 'retry'; error: string; retryAfterMs?: number }
  /**
   * The message can never be delivered as it is (a config error: unknown channel, project, field).
   * `reported`: the adapter already logged it with its fix (once for many items), so the worker logs it at debug.
   */
  | { status: 'failed'; error: string; reported?: boolean };

/** An item leased to one sender; `version` tells whether its payload changed while it was being sent. */
export interface ClaimedItem extends OutboxItem {
  version: number;
}

export interface EnqueueOptions {
  /**
   * What a message already delivered under the same key means: `keep` (the default: a post is
   * never sent twice) or `resend` (an update: the newest payload goes out again).
   */
  whenDone?: 'keep' | 'resend';
  /** Deliver no earlier than this (ISO); default now. */
  notBefore?: string;
}

/**
 * The outbox as both stores keep it. Claiming leases items: another sender (a second replica)
 * skips them, and a lease that runs out (a crashed process) makes them claimable again.
 */
export interface Outbox {
  /** Queues a message, or refreshes the one already queued under the same key. Returns its id and whether it is new. */
  enqueue(
    channel: string,
    key: string,
    kind: string,
    payload: unknown,
    options?: EnqueueOptions,
  ): Promise<{ id: number; created: boolean }>;
  /** Leases up to `limit` due items of a channel, oldest first. */
  claim(channel: string, limit: number, leaseMs: number): Promise<ClaimedItem[]>;
  /** Delivered: keeps what the receiver answered (a message ts, a ticket key) for later items to use. */
  complete(item: Pick<ClaimedItem, 'id' | 'version'>, result?: unknown): Promise<void>;
  /** Not delivered yet: tried again after `delayMs`. */
  retry(item: { id: number }, error: string, delayMs: number): Promise<void>;
  /** Never deliverable as it is (a config error): kept, with the reason, for a person to see. */
  fail(item: { id: number }, error: string): Promise<void>;
  get(channel: string, key: string): Promise<OutboxItem | undefined>;
  /** Items per state, for /metrics. */
  counts(channel: string): Promise<Record<OutboxState, number>>;
  /** Items per receiver and state, every receiver at once. */
  countsByChannel(): Promise<Array<{ channel: string; state: OutboxState; count: number }>>;
}

export interface OutboxRow {
  id: number;
  channel: string;
  key: string;
  kind: string;
  payload: string;
  state: OutboxState;
  attempts: number;
  version: number;
  lastError: string | null;
  result: string | null;
  createdAt: string;
}

const COLUMNS = `id, channel, key, kind, payload, state, attempts, version, last_error AS lastError, result, created_at AS createdAt`;

export function toOutboxItem({ version: _version, ...row }: OutboxRow): OutboxItem {
  return {
    ...row,
    payload: JSON.parse(row.payload) as unknown,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
  };
}

/** The outbox in SQLite: one process, so a transaction is enough to lease. */
export function createOutbox(db: Db, options: { now?: () => Date } = {}): Outbox {
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  const statements = {
    find: db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE channel = ? AND key = ?`),
    insert: db.prepare(
      `INSERT INTO outbox (channel, key, kind, payload, state, next_at, created_at, updated_at)
       VALUES (@channel, @key, @kind, @payload, 'pending', @nextAt, @at, @at)`,
    ),
    // A pending or failed item takes the newest payload; one being sent is requeued after it (see complete).
    replace: db.prepare(
      `UPDATE outbox SET kind = @kind, payload = @payload, version = version + 1,
         state = CASE WHEN state = 'sending' THEN state ELSE 'pending' END,
         next_at = @nextAt, attempts = CASE WHEN state = 'failed' OR state = 'done' THEN 0 ELSE attempts END,
         updated_at = @at, last_error = CASE WHEN state = 'failed' OR state = 'done' THEN NULL ELSE last_error END
       WHERE id = @id`,
    ),
    due: db.prepare(
      `SELECT ${COLUMNS} FROM outbox
       WHERE channel = @channel AND ((state = 'pending' AND next_at <= @at) OR (state = 'sending' AND lease_until <= @at))
       ORDER BY id LIMIT @limit`,
    ),
    lease: db.prepare(
      `UPDATE outbox SET state = 'sending', lease_until = @leaseUntil, attempts = attempts + 1, updated_at = @at WHERE id = @id`,
    ),
    // A payload replaced while it was being sent (a newer version) stays pending for another round.
    complete: db.prepare(
      `UPDATE outbox SET state = CASE WHEN version > @version THEN 'pending' ELSE 'done' END, lease_until = NULL,
         result = @result, last_error = NULL, updated_at = @at
       WHERE id = @id AND state = 'sending'`,
    ),
    retry: db.prepare(
      `UPDATE outbox SET state = 'pending', lease_until = NULL, next_at = @nextAt, last_error = @error
       WHERE id = @id AND state = 'sending'`,
    ),
    fail: db.prepare(
      `UPDATE outbox SET state = 'failed', lease_until = NULL, last_error = @error, updated_at = @at
       WHERE id = @id AND state = 'sending'`,
    ),
    counts: db.prepare(`SELECT state, COUNT(*) AS count FROM outbox WHERE channel = ? GROUP BY state`),
    countsByChannel: db.prepare(`SELECT channel, state, COUNT(*) AS count FROM outbox GROUP BY channel, state`),
  };

  return {
    async enqueue(channel: string, key: string, kind: string, payload: unknown, enqueueOptions: EnqueueOptions = {}) {
      const at = now();
      const fields = {
        channel,
        key,
        kind,
        payload: storedJson(payload),
        at,
        nextAt: enqueueOptions.notBefore ?? at,
      };
      return db.transaction(() => {
        const existing = statements.find.get(channel, key) as OutboxRow | undefined;
        if (!existing) return { id: Number(statements.insert.run(fields).lastInsertRowid), created: true };
        if (existing.state === 'done' && (enqueueOptions.whenDone ?? 'keep') === 'keep')
          return { id: existing.id, created: false };
        statements.replace.run({ ...fields, id: existing.id });
        return { id: existing.id, created: false };
      })();
    },

    async claim(channel: string, limit: number, leaseMs: number) {
      return db.transaction(() => {
        const at = now();
        const leaseUntil = new Date(Date.parse(at) + leaseMs).toISOString();
        const rows = statements.due.all({ channel, at, limit }) as OutboxRow[];
        for (const row of rows) statements.lease.run({ id: row.id, leaseUntil, at });
        return rows.map((row) => ({
          ...toOutboxItem(row),
          attempts: row.attempts + 1,
          state: 'sending' as const,
          version: row.version,
        }));
      })();
    },

    async complete(item: Pick<ClaimedItem, 'id' | 'version'>, result: unknown = null) {
      statements.complete.run({ id: item.id, version: item.version, result: storedJson(result), at: now() });
    },

    async retry(item: { id: number }, error: string, delayMs: number) {
      statements.retry.run({
        id: item.id,
        error: storedText(error),
        nextAt: new Date(Date.parse(now()) + delayMs).toISOString(),
      });
    },

    async fail(item: { id: number }, error: string) {
      statements.fail.run({ id: item.id, error: storedText(error), at: now() });
    },

    async get(channel: string, key: string) {
      const row = statements.find.get(channel, key) as OutboxRow | undefined;
      return row ? toOutboxItem(row) : undefined;
    },

    async counts(channel: string) {
      const counts: Record<OutboxState, number> = { pending: 0, sending: 0, done: 0, failed: 0 };
      for (const row of statements.counts.all(channel) as Array<{ state: OutboxState; count: number }>)
        counts[row.state] = row.count;
      return counts;
    },

    async countsByChannel() {
      return statements.countsByChannel.all() as Array<{ channel: string; state: OutboxState; count: number }>;
    },
  };
}
