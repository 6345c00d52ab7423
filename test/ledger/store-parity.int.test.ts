import { afterAll, beforeAll, describe } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from '../fixtures/postgres-cluster.js';
import { investigationStoreContract } from './investigation-store-contract.js';
import { outboxContract } from './outbox-contract.js';
import { recordStoreContract } from './record-store-contract.js';
import { slackJiraStoreContract } from './slack-jira-store-contract.js';
import { spendLedgerContract } from './spend-ledger-contract.js';
import { postgresBackend, sqliteBackend, type StoreBackend } from './store-backends.js';

let cluster: PostgresCluster | undefined;

// One suite, two stores: whatever SQLite promises, PostgreSQL promises too.
for (const backend of [sqliteBackend(), postgresBackend(() => cluster!)] satisfies StoreBackend[]) {
  describe(`store contract (${backend.name})`, () => {
    if (backend.name === 'postgres') {
      beforeAll(async () => {
        cluster = await startPostgresCluster();
      });
      afterAll(async () => {
        await cluster?.stop();
      });
    }
    investigationStoreContract(() => backend);
    outboxContract(() => backend);
    spendLedgerContract(() => backend);
    slackJiraStoreContract(() => backend);
    recordStoreContract(() => backend);
  });
}
