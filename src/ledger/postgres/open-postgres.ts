import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { PostgresConfig } from '../../config/config-schema.js';
import { resolveSecret } from '../../config/secret.js';
import { HolmesError } from '../../core/errors.js';
import { migratePostgres } from './migrate-postgres.js';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

// Counts and sums come back as int8/numeric, which pg hands over as strings; every one here fits a double.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * The configured URL: written in the config (never with a password: it would be printed), or read
 * from where it references (a Secret's `uri`, which may hold the password).
 */
export function postgresUrl(config: PostgresConfig, env: NodeJS.ProcessEnv = process.env): URL {
  if (typeof config.url === 'string') {
    const url = new URL(config.url);
    if (url.password) {
      throw new HolmesError(
        'CONFIG_INVALID',
        'storage.postgres.url holds a password, where it would be printed and logged.',
        {
          fix: 'Remove it from the URL and give it by reference: storage.postgres.password: { env: PGPASSWORD } or { file: PATH }, or give the whole URL by reference.',
        },
      );
    }
    return url;
  }
  const text = resolveSecret(config.url, 'storage.postgres.url', env);
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || !/^postgres(ql)?:$/.test(url.protocol))
    throw new HolmesError('CONFIG_INVALID', 'storage.postgres.url: the referenced value is not a postgres:// URL.', {
      fix: 'Point the reference at a URL such as postgres://holmes@db:5432/holmes.',
    });
  return url;
}

/** host:port/database, for logs and messages (never the user's password). */
export function postgresLocation(config: PostgresConfig, env: NodeJS.ProcessEnv = process.env): string {
  const url = postgresUrl(config, env);
  return `${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/** The pool settings for a `storage.postgres` section: the URL without a password, TLS as asked. */
export function poolConfig(config: PostgresConfig, env: NodeJS.ProcessEnv = process.env): pg.PoolConfig {
  const url = postgresUrl(config, env);
  const sslmode = config.sslmode ?? (url.searchParams.get('sslmode') as PostgresConfig['sslmode'] | null) ?? 'disable';
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || undefined,
    database: database || undefined,
    ...(config.password
      ? { password: resolveSecret(config.password, 'storage.postgres.password', env) }
      : url.password
        ? { password: decodeURIComponent(url.password) }
        : {}),
    ssl: sslOptions(sslmode, config.sslRootCert),
    max: config.pool.max,
    idleTimeoutMillis: config.pool.idleTimeoutMs,
    connectionTimeoutMillis: config.pool.connectionTimeoutMs,
    statement_timeout: config.pool.statementTimeoutMs,
    application_name: 'holmes',
    types,
  };
}

function sslOptions(mode: string, rootCert: string | undefined): pg.PoolConfig['ssl'] {
  if (mode === 'disable') return false;
  const ca = rootCert ? readCa(rootCert) : undefined;
  // require: encrypted, any certificate (libpq's meaning); verify-ca: signed by the CA; verify-full: and named for the host.
  if (mode === 'require') return { rejectUnauthorized: false };
  if (mode === 'verify-ca') return { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
  return { ca, rejectUnauthorized: true };
}

function readCa(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new HolmesError('CONFIG_INVALID', `storage.postgres.sslRootCert: cannot read ${path}.`, {
      cause: error,
      fix: 'Point sslRootCert at the PEM file of the CA that signed the server certificate.',
    });
  }
}

/** What a connection failure means, said once with the fix (no stack): the URL, the server or the password. */
export function unreachable(config: PostgresConfig, error: unknown, env: NodeJS.ProcessEnv = process.env): HolmesError {
  return new HolmesError(
    'UPSTREAM_UNAVAILABLE',
    `Cannot reach the PostgreSQL store at ${postgresLocation(config, env)}: ${(error as Error).message}`,
    {
      cause: error,
      fix: 'Check storage.postgres.url, that the server accepts connections from here, and storage.postgres.password; `holmes store check` tries again.',
    },
  );
}

export interface OpenPostgresOptions {
  /** Apply pending migrations (under an advisory lock); `holmes store check` only reads. */
  migrate?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** A pool on the configured PostgreSQL, migrated to this version's schema. */
export async function openPostgres(config: PostgresConfig, options: OpenPostgresOptions = {}): Promise<PgPool> {
  const pool = new pg.Pool(poolConfig(config, options.env));
  // An idle connection the server dropped must not crash the process: the next query reconnects.
  pool.on('error', () => undefined);
  try {
    if (options.migrate ?? true) await migratePostgres(pool);
    else await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (HolmesError.isInstance(error)) throw error;
    throw unreachable(config, error, options.env);
  }
  return pool;
}

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Runs `work` in one transaction on one connection; a serialization failure or a deadlock (the
 * server chose this transaction as the victim) rolls back and runs it again, a few times.
 */
export async function transaction<T>(pool: PgPool, work: (client: PgClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const value = await work(client);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      const code = (error as { code?: string }).code;
      if (!(code && RETRYABLE.has(code)) || attempt >= 5) throw error;
    } finally {
      client.release(broken);
    }
  }
}
