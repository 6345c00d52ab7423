import { JIRA_TABLES } from '../jira-store.js';

/**
 * The PostgreSQL schema, one entry per version; an entry is never edited once released, a change
 * is a new entry. Times are UTC ISO-8601 text, as in SQLite, so both stores compare them the same.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: alerts, investigations (a queue with leases), spend ledger, agent records, outbox, Slack.
  `CREATE TABLE alerts (
     id BIGSERIAL PRIMARY KEY,
     fingerprint TEXT NOT NULL,
     starts_at TEXT NOT NULL,
     group_key TEXT NOT NULL,
     status TEXT NOT NULL,
     alertname TEXT,
     labels TEXT NOT NULL,
     payload TEXT NOT NULL,
     received_at TEXT NOT NULL,
     resolved_at TEXT,
     investigation_id TEXT,
     UNIQUE (fingerprint, starts_at)
   );
   CREATE INDEX alerts_investigation ON alerts (investigation_id);
   CREATE INDEX alerts_alertname ON alerts (alertname, received_at);
   CREATE TABLE investigations (
     seq BIGSERIAL UNIQUE,
     id TEXT PRIMARY KEY,
     group_key TEXT,
     source TEXT NOT NULL,
     alertname TEXT,
     namespace TEXT,
     team TEXT,
     state TEXT NOT NULL,
     mode TEXT,
     created_at TEXT NOT NULL,
     started_at TEXT,
     finished_at TEXT,
     resolved_at TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     alert_count INTEGER NOT NULL DEFAULT 0,
     root_cause TEXT,
     error TEXT,
     result TEXT,
     requested_by TEXT,
     lease_owner TEXT,
     lease_until TEXT
   );
   CREATE INDEX investigations_state ON investigations (state, created_at, seq);
   CREATE UNIQUE INDEX investigations_open_group ON investigations (group_key) WHERE resolved_at IS NULL;
   CREATE TABLE usage_events (
     id BIGSERIAL PRIMARY KEY,
     at TEXT NOT NULL,
     day TEXT NOT NULL,
     record_id TEXT,
     team TEXT NOT NULL,
     namespace TEXT,
     alertname TEXT,
     kind TEXT NOT NULL,
     purpose TEXT,
     model TEXT,
     provider TEXT,
     tool TEXT,
     outcome TEXT NOT NULL,
     input_tokens BIGINT NOT NULL DEFAULT 0,
     cached_tokens BIGINT NOT NULL DEFAULT 0,
     cache_write_tokens BIGINT NOT NULL DEFAULT 0,
     output_tokens BIGINT NOT NULL DEFAULT 0,
     usd DOUBLE PRECISION NOT NULL DEFAULT 0,
     estimated INTEGER NOT NULL DEFAULT 0,
     flag TEXT
   );
   CREATE INDEX usage_events_team_day ON usage_events (team, day);
   CREATE INDEX usage_events_record ON usage_events (record_id);
   CREATE TABLE budget_teams (team TEXT PRIMARY KEY);
   CREATE TABLE budget_reservations (
     id TEXT PRIMARY KEY,
     team TEXT NOT NULL,
     usd DOUBLE PRECISION NOT NULL,
     created_at TEXT NOT NULL,
     pid INTEGER NOT NULL,
     host TEXT NOT NULL
   );
   CREATE INDEX budget_reservations_team ON budget_reservations (team);
   CREATE TABLE agent_records (
     id TEXT PRIMARY KEY,
     seq BIGSERIAL UNIQUE,
     kind TEXT NOT NULL,
     subject TEXT NOT NULL,
     thread_id TEXT,
     team TEXT,
     namespace TEXT,
     alertname TEXT,
     asked_by TEXT,
     state TEXT NOT NULL,
     mode TEXT,
     pid INTEGER NOT NULL,
     host TEXT NOT NULL,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     root_cause TEXT,
     error TEXT,
     input_tokens BIGINT NOT NULL DEFAULT 0,
     output_tokens BIGINT NOT NULL DEFAULT 0,
     usd DOUBLE PRECISION NOT NULL DEFAULT 0,
     result TEXT
   );
   CREATE INDEX agent_records_started ON agent_records (started_at);
   CREATE INDEX agent_records_state ON agent_records (state);
   CREATE TABLE agent_record_steps (
     record_id TEXT NOT NULL REFERENCES agent_records (id),
     seq INTEGER NOT NULL,
     at TEXT NOT NULL,
     kind TEXT NOT NULL,
     duration_ms INTEGER,
     data TEXT NOT NULL,
     PRIMARY KEY (record_id, seq)
   );
   CREATE TABLE outbox (
     id BIGSERIAL PRIMARY KEY,
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
   CREATE INDEX outbox_due ON outbox (channel, state, next_at);
   CREATE TABLE slack_events (key TEXT PRIMARY KEY, received_at TEXT NOT NULL);
   CREATE INDEX slack_events_received ON slack_events (received_at);
   CREATE TABLE slack_messages (
     key TEXT PRIMARY KEY,
     channel TEXT NOT NULL,
     ts TEXT,
     thread_ts TEXT,
     investigation_id TEXT,
     created_at TEXT NOT NULL
   );
   CREATE INDEX slack_messages_ts ON slack_messages (channel, ts);
   CREATE TABLE slack_turns (id BIGSERIAL PRIMARY KEY, thread TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, at TEXT NOT NULL);
   CREATE INDEX slack_turns_thread ON slack_turns (thread, id);
   CREATE TABLE slack_waiters (
     id BIGSERIAL PRIMARY KEY,
     investigation_id TEXT NOT NULL,
     response_url TEXT NOT NULL,
     requested_by TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX slack_waiters_investigation ON slack_waiters (investigation_id);`,
  // 2: a budget hold names the replica session (advisory lock key) that made it: a dead replica's holds go at once.
  `ALTER TABLE budget_reservations ADD COLUMN session_key INTEGER;`,
  // 3: Jira's tickets per dedup label and the intent recorded before each create call (as SQLite's 7).
  JIRA_TABLES,
];
