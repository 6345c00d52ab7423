import type { Db } from './open-database.js';

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

/** What Slack delivery remembers, as both stores keep it. */
export interface SlackStore {
  /** Records an event id the first time it is seen; false for a retry or a redelivery, also after a restart. */
  claimEvent(key: string): Promise<boolean>;
  message(key: string): Promise<SlackMessageRow | undefined>;
  /** Decides once where a message goes; later calls return that first decision. */
  planMessage(
    key: string,
    target: { channel: string; threadTs?: string | undefined; investigationId?: string | undefined },
  ): Promise<SlackMessageRow>;
  /** Slack accepted the post: its channel id (a name was maybe asked for) and ts. */
  setPosted(key: string, channel: string, ts: string): Promise<void>;
  /** The message was deleted in Slack: the next delivery posts it anew. */
  forgetTs(key: string): Promise<void>;
  /** The investigation whose message is at (channel, ts): a thread's root leads back to it. */
  investigationAt(channel: string, ts: string): Promise<string | undefined>;
  addTurn(thread: string, turn: SlackTurn): Promise<void>;
  /** The thread's last `limit` questions and answers, oldest first. */
  turns(thread: string, limit?: number): Promise<SlackTurn[]>;
  /** Someone (a slash command) waits for this investigation's result at a response_url. */
  addWaiter(investigationId: string, responseUrl: string, requestedBy: string): Promise<void>;
  /** Hands the waiters over (once): `deliver` queues each answer, in the same transaction as the removal. */
  takeWaiters(
    investigationId: string,
    deliver: (waiter: { responseUrl: string; requestedBy: string }) => unknown,
  ): Promise<void>;
}

export function createSlackStore(db: Db, options: { now?: () => Date } = {}): SlackStore {
  const now = () => (options.now ?? (() => new Date()))();
  const statements = {
    claimEvent: db.prepare(`INSERT OR IGNORE INTO slack_events (key, received_at) VALUES (?, ?)`),
    forgetEvents: db.prepare(`DELETE FROM slack_events WHERE received_at < ?`),
    message: db.prepare(
      `SELECT key, channel, ts, thread_ts AS threadTs, investigation_id AS investigationId FROM slack_messages WHERE key = ?`,
    ),
    planMessage: db.prepare(
      `INSERT OR IGNORE INTO slack_messages (key, channel, thread_ts, investigation_id, created_at)
       VALUES (@key, @channel, @threadTs, @investigationId, @at)`,
    ),
    setPosted: db.prepare(`UPDATE slack_messages SET channel = ?, ts = ? WHERE key = ?`),
    forgetTs: db.prepare(`UPDATE slack_messages SET ts = NULL WHERE key = ?`),
    investigationAt: db.prepare(
      `SELECT investigation_id AS investigationId FROM slack_messages
       WHERE channel = ? AND ts = ? AND investigation_id IS NOT NULL LIMIT 1`,
    ),
    addTurn: db.prepare(`INSERT INTO slack_turns (thread, question, answer, at) VALUES (?, ?, ?, ?)`),
    turns: db.prepare(
      `SELECT question, answer FROM (SELECT id, question, answer FROM slack_turns WHERE thread = ? ORDER BY id DESC LIMIT ?) ORDER BY id`,
    ),
    addWaiter: db.prepare(
      `INSERT INTO slack_waiters (investigation_id, response_url, requested_by, created_at) VALUES (?, ?, ?, ?)`,
    ),
    waiters: db.prepare(
      `SELECT id, response_url AS responseUrl, requested_by AS requestedBy FROM slack_waiters WHERE investigation_id = ? ORDER BY id`,
    ),
    removeWaiter: db.prepare(`DELETE FROM slack_waiters WHERE id = ?`),
  };

  return {
    async claimEvent(key: string) {
      const at = now();
      const fresh = statements.claimEvent.run(key, at.toISOString()).changes === 1;
      // Cheap housekeeping on the write path: the index makes this a range delete.
      if (fresh) statements.forgetEvents.run(new Date(at.getTime() - EVENT_MEMORY_MS).toISOString());
      return fresh;
    },
    async message(key: string) {
      return statements.message.get(key) as SlackMessageRow | undefined;
    },
    async planMessage(
      key: string,
      target: { channel: string; threadTs?: string | undefined; investigationId?: string | undefined },
    ) {
      statements.planMessage.run({
        key,
        channel: target.channel,
        threadTs: target.threadTs ?? null,
        investigationId: target.investigationId ?? null,
        at: now().toISOString(),
      });
      return statements.message.get(key) as SlackMessageRow;
    },
    async setPosted(key: string, channel: string, ts: string) {
      statements.setPosted.run(channel, ts, key);
    },
    async forgetTs(key: string) {
      statements.forgetTs.run(key);
    },
    async investigationAt(channel: string, ts: string) {
      return (statements.investigationAt.get(channel, ts) as { investigationId: string } | undefined)?.investigationId;
    },
    async addTurn(thread: string, turn: SlackTurn) {
      statements.addTurn.run(thread, turn.question, turn.answer, now().toISOString());
    },
    async turns(thread: string, limit = 6) {
      return statements.turns.all(thread, limit) as SlackTurn[];
    },
    async addWaiter(investigationId: string, responseUrl: string, requestedBy: string) {
      statements.addWaiter.run(investigationId, responseUrl, requestedBy, now().toISOString());
    },
    async takeWaiters(
      investigationId: string,
      deliver: (waiter: { responseUrl: string; requestedBy: string }) => unknown,
    ) {
      db.transaction(() => {
        for (const waiter of statements.waiters.all(investigationId) as Array<{
          id: number;
          responseUrl: string;
          requestedBy: string;
        }>) {
          deliver(waiter);
          statements.removeWaiter.run(waiter.id);
        }
      })();
    },
  };
}
