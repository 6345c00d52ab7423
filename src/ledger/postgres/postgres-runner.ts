import type { SqlRunner } from '../sql-runner.js';
import type { PgPool } from './open-postgres.js';

/** `?` placeholders as PostgreSQL numbers them; the stores' SQL has no `?` inside its literals. */
function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${(index += 1)}`);
}

/**
 * PostgreSQL's runner. `exclusive` holds a transaction-scoped advisory lock on a connection of its
 * own while `work` runs (work writes through the pool, so what it records is committed at once):
 * every replica waits for it, and it is released when the holder commits or its connection dies.
 */
export function createPostgresRunner(pool: PgPool): SqlRunner {
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params: unknown[] = []) => (await pool.query(numbered(sql), params)).rows as T[],
    get: async <T>(sql: string, params: unknown[] = []) =>
      (await pool.query(numbered(sql), params)).rows[0] as T | undefined,
    run: async (sql, params = []) => (await pool.query(numbered(sql), params)).rowCount ?? 0,
    async exclusive<T>(name: string, work: () => Promise<T>) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
        const value = await work();
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}
