import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { HolmesError } from '../core/errors.js';
import { JIRA_TABLES } from './jira-store.js';
import { LEDGER_CACHE_AND_FLAGS, LEDGER_TABLES } from './ledger-tables.js';
import { OUTBOX_TABLES } from './outbox.js';
import { SLACK_TABLES } from './slack-store.js';

export type Db = Database.Database;

export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE alerts (
     id INTEGER PRIMARY KEY,
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
   CREATE TABLE investigations (
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
     result TEXT
   );
   CREATE INDEX investigations_state ON investigations (state, created_at);
   CREATE INDEX investigations_group ON investigations (group_key, resolved_at);`,
  // 2: spend ledger, budget reservations, agent records and their steps.
  LEDGER_TABLES,
  // 3: messages waiting for Slack, Jira and other receivers.
  OUTBOX_TABLES,
  // 4: who asked for a (re-)investigation, for budget attribution; alerts found by name.
  `ALTER TABLE investigations ADD COLUMN requested_by TEXT;
   CREATE INDEX alerts_alertname ON alerts (alertname, received_at);`,
  // 5: Slack messages, handled events, thread conversations, slash commands waiting for a result.
  SLACK_TABLES,
  // 6: cache-write tokens and usage flags in the spend ledger.
  LEDGER_CACHE_AND_FLAGS,
  // 7: Jira tickets per dedup label and the intent recorded before each create call.
  JIRA_TABLES,
  // 8: leases on running investigations; one open investigation per group, kept by the schema.
  `ALTER TABLE investigations ADD COLUMN lease_owner TEXT;
   ALTER TABLE investigations ADD COLUMN lease_until TEXT;
   CREATE UNIQUE INDEX investigations_open_group ON investigations (group_key) WHERE resolved_at IS NULL;`,
];

export interface OpenDatabaseOptions {
  path: string;
  synchronous?: 'normal' | 'full';
}

/**
 * Opens (and migrates) the SQLite store in WAL mode: readers never block the writer, and a
 * committed transaction survives a crash of the process before anything is acknowledged.
 */
export function openDatabase(options: OpenDatabaseOptions): Db {
  let db: Db;
  try {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    db = new Database(options.path);
  } catch (error) {
    throw new HolmesError('CONFIG_INVALID', `Cannot open the store at ${options.path}: ${(error as Error).message}`, {
      cause: error,
      fix: 'Set storage.path to a writable file (its folder is created if missing).',
    });
  }
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Under one write lock, reading the version inside it: two processes opening a new store at once
  // (`holmes serve` and a CLI command) would otherwise both run the first migration.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let index = version; index < MIGRATIONS.length; index += 1) {
      db.exec(MIGRATIONS[index]!);
      db.pragma(`user_version = ${index + 1}`);
    }
  }).immediate();
  return db;
}
