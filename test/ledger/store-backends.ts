import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInvestigationStore } from '../../src/ledger/investigation-store.js';
import type { InvestigationStore } from '../../src/ledger/investigation-types.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createOutbox, type Outbox } from '../../src/ledger/outbox.js';
import { createSpendLedger, type SpendLedger } from '../../src/ledger/spend-ledger.js';
import { createJiraStore, type JiraStore } from '../../src/ledger/jira-store.js';
import { createSlackStore, type SlackStore } from '../../src/ledger/slack-store.js';
import { createRecordStore, type RecordStore } from '../../src/ledger/record-store.js';
import { createSqliteRunner } from '../../src/ledger/sql-runner.js';
import { createPostgresRunner } from '../../src/ledger/postgres/postgres-runner.js';
import { createPostgresSpendLedger } from '../../src/ledger/postgres/postgres-spend-ledger.js';
import { openPostgres, type PgPool } from '../../src/ledger/postgres/open-postgres.js';
import { createPostgresInvestigationStore } from '../../src/ledger/postgres/postgres-investigation-store.js';
import { createPostgresOutbox } from '../../src/ledger/postgres/postgres-outbox.js';
import { postgresConfig } from '../fixtures/postgres-config.js';
import type { PostgresCluster } from '../fixtures/postgres-cluster.js';

/** One store under test, as the contract suite sees it: the same calls whatever the database. */
export interface StoreHandle {
  investigations(): InvestigationStore;
  outbox(now?: () => Date): Outbox;
  ledger(now?: () => Date): SpendLedger;
  slack(now?: () => Date): SlackStore;
  jira(now?: () => Date): JiraStore;
  records(now?: () => Date): RecordStore;
  /** A write straight to the database (no parameters), as something outside Holmes would make it. */
  exec(sql: string): Promise<void>;
  /** Another replica on the same store: its own connection (SQLite) or pool (PostgreSQL). */
  peer(): Promise<Peer>;
  /** A read straight from the database (no parameters): what is really stored. */
  rows<T>(sql: string): Promise<T[]>;
  /** The process dies and another opens the same store: connections closed without any cleanup. */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export interface Peer {
  ledger(now?: () => Date): SpendLedger;
  slack(): SlackStore;
  jira(): JiraStore;
  records(): RecordStore;
  close(): Promise<void>;
}

export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  /** A fresh, migrated, empty store. */
  open(): Promise<StoreHandle>;
}

export function sqliteBackend(): StoreBackend {
  return {
    name: 'sqlite',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'holmes-store-contract-'));
      const path = join(dir, 'holmes.db');
      let db: Db = openDatabase({ path });
      return {
        investigations: () => createInvestigationStore(db),
        outbox: (now) => createOutbox(db, now ? { now } : {}),
        ledger: (now) => createSpendLedger(db, now ? { now } : {}),
        slack: (now) => createSlackStore(createSqliteRunner(db), now ? { now } : {}),
        jira: (now) => createJiraStore(createSqliteRunner(db), now ? { now } : {}),
        records: (now) => createRecordStore(createSqliteRunner(db), now ? { now } : {}),
        exec: async (sql) => void db.exec(sql),
        async peer() {
          const own = openDatabase({ path });
          return {
            ledger: (now) => createSpendLedger(own, now ? { now } : {}),
            slack: () => createSlackStore(createSqliteRunner(own)),
            jira: () => createJiraStore(createSqliteRunner(own)),
            records: () => createRecordStore(createSqliteRunner(own)),
            close: async () => void own.close(),
          };
        },
        rows: async <T>(sql: string) => db.prepare(sql).all() as T[],
        async reopen() {
          db.close();
          db = openDatabase({ path });
        },
        async close() {
          if (db.open) db.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

export function postgresBackend(cluster: () => PostgresCluster): StoreBackend {
  return {
    name: 'postgres',
    async open() {
      const url = await cluster().createDatabase();
      let pool: PgPool = await openPostgres(postgresConfig(url));
      return {
        investigations: () => createPostgresInvestigationStore(pool),
        outbox: (now) => createPostgresOutbox(pool, now ? { now } : {}),
        ledger: (now) => createPostgresSpendLedger(pool, now ? { now } : {}),
        slack: (now) => createSlackStore(createPostgresRunner(pool), now ? { now } : {}),
        jira: (now) => createJiraStore(createPostgresRunner(pool), now ? { now } : {}),
        records: (now) => createRecordStore(createPostgresRunner(pool), now ? { now } : {}),
        exec: async (sql) => void (await pool.query(sql)),
        async peer() {
          const own = await openPostgres(postgresConfig(url));
          return {
            ledger: (now) => createPostgresSpendLedger(own, now ? { now } : {}),
            slack: () => createSlackStore(createPostgresRunner(own)),
            jira: () => createJiraStore(createPostgresRunner(own)),
            records: () => createRecordStore(createPostgresRunner(own)),
            close: () => own.end(),
          };
        },
        rows: async <T>(sql: string) => (await pool.query(sql)).rows as T[],
        async reopen() {
          await pool.end();
          pool = await openPostgres(postgresConfig(url));
        },
        async close() {
          await pool.end();
        },
      };
    },
  };
}
