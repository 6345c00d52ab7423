import type { SqlRunner } from './sql-runner.js';

/**
 * What Slack delivery must remember across restarts: where each message went (so it is updated,
 * never posted twice, and a thread leads back to its investigation), the events already handled
 * (Slack retries them), the questions and answers of each thread, and who waits for a result.
 */
export const SLACK_TABLES = `
  CREATE TABLE slack_messages (
    key TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    ts TEXT,
    thread_ts TEXT,
    investigation_id TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX slack_messages_ts ON slack_messages (channel, ts);
  CREATE TABLE slack_events (key TEXT PRIMARY KEY, received_at TEXT NOT NULL);
  CREATE INDEX slack_events_age ON slack_events (received_at);
  CREATE TABLE slack_turns (
    id INTEGER PRIMARY KEY,
    thread TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX slack_turns_thread ON slack_turns (thread, id);
  CREATE TABLE slack_waiters (
    id INTEGER PRIMARY KEY,
    investigation_id TEXT NOT NULL,
    response_url TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX slack_waiters_investigation ON slack_waiters (investigation_id);`;

export interface SlackMessageRow {
  key: string;
  channel: string;
  ts: string | null;
  threadTs: string | null;
  investigationId: string | null;
}

export interface SlackTurn {
  question: string;
  answer: string;
}

/** Event ids older than this cannot come back: Slack retries within minutes. */
const EVENT_MEMORY_MS = 7 * 86_400_000;

type MessageTarget = { channel: string; threadTs?: string | undefined; investigationId?: string | undefined };

/** What Slack delivery remembers, as both stores keep it. */
export interface SlackStore {
  /** Records an event id the first time it is seen; false for a retry or a redelivery, also after a restart. */
  claimEvent(key: string): Promise<boolean>;
  message(key: string): Promise<SlackMessageRow | undefined>;
  /** Decides once where a message goes; later calls return that first decision. */
  planMessage(key: string, target: MessageTarget): Promise<SlackMessageRow>;
  /** Slack accepted the post: its channel id (a name was maybe asked for) and ts. */
  setPosted(key: string, channel: string, ts: string): Promise<void>;
  /** The message was deleted in Slack: the next delivery posts it anew. */
  forgetTs(key: string): Promise<void>;
  /**
   * Runs `deliver` while no other sender (another replica, one whose lease ran out) delivers the
   * message `key`: the second finds the ts the first recorded and updates, never posts again.
   */
  whileDelivering<T>(key: string, deliver: () => Promise<T>): Promise<T>;
  /** The investigation whose message is at (channel, ts): a thread's root leads back to it. */
  investigationAt(channel: string, ts: string): Promise<string | undefined>;
  addTurn(thread: string, turn: SlackTurn): Promise<void>;
  /** The thread's last `limit` questions and answers, oldest first. */
  turns(thread: string, limit?: number): Promise<SlackTurn[]>;
  /** Someone (a slash command) waits for this investigation's result at a response_url. */
  addWaiter(investigationId: string, responseUrl: string, requestedBy: string): Promise<void>;
  /**
   * Hands the waiters over: each is removed once `deliver` has queued its answer, so a crash in
   * between queues it again (under the same outbox key, so it is not sent twice).
   */
  takeWaiters(
    investigationId: string,
    deliver: (waiter: { responseUrl: string; requestedBy: string }) => Promise<unknown>,
  ): Promise<void>;
}

const MESSAGE = `SELECT key, channel, ts, thread_ts AS "threadTs", investigation_id AS "investigationId" FROM slack_messages WHERE key = ?`;

/** Slack's records on either store: the SQL is the same, the runner speaks the database. */
export function createSlackStore(sql: SqlRunner, options: { now?: () => Date } = {}): SlackStore {
  const now = () => (options.now ?? (() => new Date()))();
  return {
    async claimEvent(key) {
      const at = now();
      const fresh =
        (await sql.run(`INSERT INTO slack_events (key, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, [
          key,
          at.toISOString(),
        ])) === 1;
      // Cheap housekeeping on the write path: the index makes this a range delete.
      if (fresh)
        await sql.run(`DELETE FROM slack_events WHERE received_at < ?`, [
          new Date(at.getTime() - EVENT_MEMORY_MS).toISOString(),
        ]);
      return fresh;
    },
    message: (key) => sql.get<SlackMessageRow>(MESSAGE, [key]),
    async planMessage(key, target) {
      await sql.run(
        `INSERT INTO slack_messages (key, channel, thread_ts, investigation_id, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
        [key, target.channel, target.threadTs ?? null, target.investigationId ?? null, now().toISOString()],
      );
      return (await sql.get<SlackMessageRow>(MESSAGE, [key]))!;
    },
    async setPosted(key, channel, ts) {
      await sql.run(`UPDATE slack_messages SET channel = ?, ts = ? WHERE key = ?`, [channel, ts, key]);
    },
    async forgetTs(key) {
      await sql.run(`UPDATE slack_messages SET ts = NULL WHERE key = ?`, [key]);
    },
    whileDelivering: (key, deliver) => sql.exclusive(`slack-message:${key}`, deliver),
    async investigationAt(channel, ts) {
      const row = await sql.get<{ investigationId: string }>(
        `SELECT investigation_id AS "investigationId" FROM slack_messages
         WHERE channel = ? AND ts = ? AND investigation_id IS NOT NULL LIMIT 1`,
        [channel, ts],
      );
      return row?.investigationId;
    },
    async addTurn(thread, turn) {
      await sql.run(`INSERT INTO slack_turns (thread, question, answer, at) VALUES (?, ?, ?, ?)`, [
        thread,
        turn.question,
        turn.answer,
        now().toISOString(),
      ]);
    },
    turns: (thread, limit = 6) =>
      sql.all<SlackTurn>(
        `SELECT question, answer FROM (SELECT id, question, answer FROM slack_turns WHERE thread = ? ORDER BY id DESC LIMIT ?) AS recent ORDER BY id`,
        [thread, limit],
      ),
    async addWaiter(investigationId, responseUrl, requestedBy) {
      await sql.run(
        `INSERT INTO slack_waiters (investigation_id, response_url, requested_by, created_at) VALUES (?, ?, ?, ?)`,
        [investigationId, responseUrl, requestedBy, now().toISOString()],
      );
    },
    async takeWaiters(investigationId, deliver) {
      const waiters = await sql.all<{ id: number; responseUrl: string; requestedBy: string }>(
        `SELECT id, response_url AS "responseUrl", requested_by AS "requestedBy" FROM slack_waiters WHERE investigation_id = ? ORDER BY id`,
        [investigationId],
      );
      for (const { id, ...waiter } of waiters) {
        await deliver(waiter);
        await sql.run(`DELETE FROM slack_waiters WHERE id = ?`, [id]);
      }
    },
  };
}
