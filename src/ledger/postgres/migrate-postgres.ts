import type pg from 'pg';
import { HolmesError } from '../../core/errors.js';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';

/** The advisory lock every replica takes to migrate: 'holmes' in ASCII, so it is recognisable in pg_locks. */
export const MIGRATION_LOCK = 0x686f6c6d6573;

export interface SchemaStatus {
  /** The version the database is at (0: empty). */
  version: number;
  /** The version this Holmes expects. */
  expected: number;
}

async function currentVersion(client: pg.PoolClient | pg.Pool): Promise<number> {
  const exists = await client.query<{ present: boolean }>(
    `SELECT to_regclass('holmes_schema_migrations') IS NOT NULL AS present`,
  );
  if (!exists.rows[0]!.present) return 0;
  const row = await client.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM holmes_schema_migrations`,
  );
  return Number(row.rows[0]!.version ?? 0);
}

/** Where the database stands against this version's schema, without changing it. */
export async function schemaStatus(pool: pg.Pool): Promise<SchemaStatus> {
  return { version: await currentVersion(pool), expected: POSTGRES_MIGRATIONS.length };
}

/**
 * Applies the migrations this database has not seen, in one transaction under an advisory lock:
 * replicas starting together wait for the first, then find nothing left to do. A database newer
 * than this Holmes (a rollback of the deployment) is refused rather than written with old rules.
 */
export async function migratePostgres(pool: pg.Pool): Promise<{ from: number; to: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS holmes_schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const from = await currentVersion(client);
    if (from > POSTGRES_MIGRATIONS.length) {
      throw new HolmesError(
        'CONFIG_INVALID',
        `The PostgreSQL store is at schema version ${from}; this Holmes knows up to ${POSTGRES_MIGRATIONS.length}.`,
        { fix: 'Run the newer Holmes that migrated it, or restore a backup taken before it.' },
      );
    }
    for (let version = from + 1; version <= POSTGRES_MIGRATIONS.length; version += 1) {
      await client.query(POSTGRES_MIGRATIONS[version - 1]!);
      await client.query('INSERT INTO holmes_schema_migrations (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
    return { from, to: POSTGRES_MIGRATIONS.length };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
