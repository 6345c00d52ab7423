import { existsSync } from 'node:fs';
import type { HolmesConfig } from '../config/config-schema.js';
import { HolmesError } from '../core/errors.js';

export interface StoreStatus {
  kind: 'sqlite' | 'postgres';
  location: string;
  /** The schema version the store is at (0: empty or absent). */
  version: number;
  /** The version this Holmes expects. */
  expected: number;
}

/**
 * Where the configured store stands, changing nothing: reachable, and at which schema version
 * against the one this Holmes expects. An unreachable store is an error that says why.
 */
export async function storeStatus(storage: HolmesConfig['storage']): Promise<StoreStatus> {
  if (storage.postgres) {
    const [{ openPostgres, postgresLocation }, { schemaStatus }] = await Promise.all([
      import('./postgres/open-postgres.js'),
      import('./postgres/migrate-postgres.js'),
    ]);
    const pool = await openPostgres(storage.postgres, { migrate: false });
    try {
      return {
        kind: 'postgres',
        location: postgresLocation(storage.postgres),
        ...(await schemaStatus(pool)),
      };
    } finally {
      await pool.end();
    }
  }
  const { MIGRATIONS } = await import('./open-database.js');
  if (!existsSync(storage.path))
    return { kind: 'sqlite', location: storage.path, version: 0, expected: MIGRATIONS.length };
  const { default: Database } = await import('better-sqlite3');
  let db;
  try {
    db = new Database(storage.path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new HolmesError('CONFIG_INVALID', `Cannot open the store at ${storage.path}: ${(error as Error).message}`, {
      cause: error,
      fix: 'Set storage.path to the SQLite file holmes serve writes.',
    });
  }
  try {
    return {
      kind: 'sqlite',
      location: storage.path,
      version: db.pragma('user_version', { simple: true }) as number,
      expected: MIGRATIONS.length,
    };
  } finally {
    db.close();
  }
}
