import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../src/ledger/postgres/open-postgres.js';
import { POSTGRES_MIGRATIONS } from '../../../src/ledger/postgres/postgres-schema.js';
import { postgresConfig } from '../../fixtures/postgres-config.js';
import { startPostgresCluster, type PostgresCluster } from '../../fixtures/postgres-cluster.js';
import { createSandbox, runCli, type Sandbox } from '../run-cli.js';

let cluster: PostgresCluster;
let sandbox: Sandbox;

const configFor = (url: string, extra = '') => `storage:\n  postgres:\n    url: ${url}\n${extra}`;

describe('holmes store', () => {
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    sandbox = await createSandbox();
  });
  afterAll(async () => {
    await sandbox?.remove();
    await cluster?.stop();
  });

  it('says an empty database needs migrating, migrates it, then finds nothing left to do', async () => {
    const config = await sandbox.write('empty.yaml', configFor(await cluster.createDatabase()));
    const before = await runCli(sandbox, ['--config', config, 'store', 'check']);
    expect(before.code).toBe(2);
    expect(before.stdout).toContain('schema version 0 (this Holmes expects');
    expect(before.stderr).toContain('holmes store migrate');
    const migrated = await runCli(sandbox, ['--config', config, 'store', 'migrate']);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain(`migrated from schema version 0 to ${POSTGRES_MIGRATIONS.length}`);
    const again = await runCli(sandbox, ['--config', config, '--json', 'store', 'check']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ kind: 'postgres', ok: true, version: POSTGRES_MIGRATIONS.length });
  });

  it('refuses a password written in the URL, and names where to put it', async () => {
    const config = await sandbox.write(
      'password.yaml',
      configFor(`postgres://holmes:hunter2@127.0.0.1:${cluster.port}/x`),
    );
    const result = await runCli(sandbox, ['--config', config, 'store', 'check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('storage.postgres.password');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('says in one line that the store cannot be reached when nothing listens there', async () => {
    const config = await sandbox.write(
      'down.yaml',
      configFor(`postgres://holmes@127.0.0.1:1/holmes`, '    pool:\n      connectionTimeoutMs: 2000\n'),
    );
    const result = await runCli(sandbox, ['--config', config, 'store', 'check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Cannot reach the PostgreSQL store at 127.0.0.1:1/holmes');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('applies the schema once when several replicas start together', async () => {
    const url = await cluster.createDatabase();
    const pools = await Promise.all([1, 2, 3, 4].map(() => openPostgres(postgresConfig(url))));
    try {
      const rows = await pools[0]!.query<{ version: number }>(
        'SELECT version FROM holmes_schema_migrations ORDER BY version',
      );
      expect(rows.rows.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((_, index) => index + 1));
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('refuses a database migrated by a newer Holmes rather than writing it with older rules', async () => {
    const url = await cluster.createDatabase();
    await (await openPostgres(postgresConfig(url))).end();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('INSERT INTO holmes_schema_migrations (version) VALUES ($1)', [POSTGRES_MIGRATIONS.length + 1]);
    await client.end();
    await expect(openPostgres(postgresConfig(url))).rejects.toThrow(/newer Holmes|knows up to/);
  });
});
