import type { HolmesConfig } from '../config/config-schema.js';
import type { InvestigationStore } from './investigation-types.js';
import { createJiraStore, type JiraStore } from './jira-store.js';
import { createRecordStore, type RecordStore } from './record-store.js';
import type { Outbox } from './outbox.js';
import { createSlackStore, type SlackStore } from './slack-store.js';
import type { SpendLedger } from './spend-ledger-types.js';

/**
 * The one store Holmes keeps: SQLite (a file, one replica) or PostgreSQL (several replicas). Every
 * part (intake, queue, outboxes) goes through these interfaces, never to a database directly.
 */
export interface Store {
  kind: 'sqlite' | 'postgres';
  /** Where it is, for logs and messages: the file, or host:port/database (never a password). */
  location: string;
  investigations: InvestigationStore;
  outbox: Outbox;
  /** LLM spend and the team budgets' reservations. */
  ledger: SpendLedger;
  /** Slack's messages, handled events, threads and waiters. */
  slack: SlackStore;
  /** Jira's tickets per dedup label. */
  jira: JiraStore;
  /** The agent's investigation records and their steps (`holmes investigations`, `holmes replay`). */
  records: RecordStore;
  /** Throws when the store cannot answer (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Apply pending migrations (the default); `holmes store check` only reads. */
  migrate?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Opens the configured store: PostgreSQL when `storage.postgres` is set, else the SQLite file. */
export async function openStore(storage: HolmesConfig['storage'], options: OpenStoreOptions = {}): Promise<Store> {
  if (storage.postgres) {
    const [
      { openPostgres, postgresLocation },
      { createPostgresInvestigationStore },
      { createPostgresOutbox },
      { createPostgresSpendLedger },
      { createPostgresRunner },
    ] = await Promise.all([
      import('./postgres/open-postgres.js'),
      import('./postgres/postgres-investigation-store.js'),
      import('./postgres/postgres-outbox.js'),
      import('./postgres/postgres-spend-ledger.js'),
      import('./postgres/postgres-runner.js'),
    ]);
    const pool = await openPostgres(storage.postgres, options);
    const sql = createPostgresRunner(pool);
    return {
      kind: 'postgres',
      location: postgresLocation(storage.postgres, options.env),
      investigations: createPostgresInvestigationStore(pool),
      outbox: createPostgresOutbox(pool),
      ledger: createPostgresSpendLedger(pool),
      slack: createSlackStore(sql),
      jira: createJiraStore(sql),
      records: createRecordStore(sql),
      ping: async () => void (await pool.query('SELECT 1')),
      close: () => pool.end(),
    };
  }
  const [
    { openDatabase },
    { createInvestigationStore },
    { createOutbox },
    { createSpendLedger },
    { createSqliteRunner },
  ] = await Promise.all([
    import('./open-database.js'),
    import('./investigation-store.js'),
    import('./outbox.js'),
    import('./spend-ledger.js'),
    import('./sql-runner.js'),
  ]);
  const db = openDatabase({ path: storage.path, synchronous: storage.synchronous });
  const sql = createSqliteRunner(db);
  return {
    kind: 'sqlite',
    location: storage.path,
    investigations: createInvestigationStore(db),
    outbox: createOutbox(db),
    ledger: createSpendLedger(db),
    slack: createSlackStore(sql),
    jira: createJiraStore(sql),
    records: createRecordStore(sql),
    ping: async () => void db.prepare('SELECT 1').get(),
    close: async () => void (db.open && db.close()),
  };
}
