import type { Db } from './open-database.js';

/**
 * The few calls the Slack and Jira stores make, the same on SQLite and PostgreSQL, so each store is
 * written once. SQL uses `?` placeholders and only syntax both databases read (ON CONFLICT,
 * quoted aliases, `excluded.`).
 */
export interface SqlRunner {
  /** For the little that differs: the column that keeps insertion order (SQLite's rowid, PostgreSQL's seq). */
  dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: unknown[]): Promise<T | undefined>;
  /** Runs a write; how many rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /**
   * Runs `work` while no other holder of `name` runs: on PostgreSQL across replicas (a lock the
   * database holds for the holder's connection, gone with a dead replica), on SQLite in this process.
   */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>;
}

/** Per file: every store of this process on one SQLite file (any connection) waits for the same holders. */
const holders = new Map<string, Map<string, Promise<unknown>>>();

/**
 * SQLite's runner. One process writes the file, and its write lock cannot be held across an
 * await (better-sqlite3 is synchronous), so `exclusive` queues holders in this process.
 */
export function createSqliteRunner(db: Db): SqlRunner {
  const statements = new Map<string, ReturnType<typeof db.prepare<unknown[]>>>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare<unknown[]>(sql)));
    return statement;
  };
  if (!holders.has(db.name)) holders.set(db.name, new Map());
  const held = holders.get(db.name)!;
  return {
    dialect: 'sqlite',
    all: async <T>(sql: string, params: unknown[] = []) => prepare(sql).all(...params) as T[],
    get: async <T>(sql: string, params: unknown[] = []) => prepare(sql).get(...params) as T | undefined,
    run: async (sql, params = []) => prepare(sql).run(...params).changes,
    async exclusive<T>(name: string, work: () => Promise<T>) {
      const before = held.get(name) ?? Promise.resolve();
      const mine = before.catch(() => undefined).then(work);
      held.set(name, mine);
      try {
        return await mine;
      } finally {
        if (held.get(name) === mine) held.delete(name);
      }
    },
  };
}
