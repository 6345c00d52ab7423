/**
 * The agent's tables, appended to the store's migrations: metered usage (one row per model call
 * attempt or tool call), open budget reservations, and investigation records with their steps.
 */
export const LEDGER_TABLES = `
  CREATE TABLE usage_events (
    id INTEGER PRIMARY KEY,
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
    input_tokens INTEGER NOT NULL DEFAULT 0,
    cached_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    usd REAL NOT NULL DEFAULT 0,
    estimated INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX usage_events_team_day ON usage_events (team, day);
  CREATE INDEX usage_events_record ON usage_events (record_id);
  CREATE TABLE budget_reservations (
    id TEXT PRIMARY KEY,
    team TEXT NOT NULL,
    usd REAL NOT NULL,
    created_at TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL
  );
  CREATE TABLE agent_records (
    id TEXT PRIMARY KEY,
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
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    usd REAL NOT NULL DEFAULT 0,
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
  );`;

/**
 * Cache writes (Anthropic bills them above the input rate) and a flag for usage far above what was
 * reserved for the call; estimated rows already exist.
 */
export const LEDGER_CACHE_AND_FLAGS = `
  ALTER TABLE usage_events ADD COLUMN cache_write_tokens INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE usage_events ADD COLUMN flag TEXT;`;
