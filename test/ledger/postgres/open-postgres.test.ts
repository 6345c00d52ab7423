import { describe, expect, it } from 'vitest';
import { postgresSchema } from '../../../src/config/config-schema.js';
import { HolmesError } from '../../../src/core/errors.js';
import { poolConfig, postgresLocation } from '../../../src/ledger/postgres/open-postgres.js';

const config = (section: Record<string, unknown>) => postgresSchema.parse(section);

describe('poolConfig', () => {
  it('refuses a password written in the URL of the config, saying to give it by reference', () => {
    const error = (() => {
      try {
        poolConfig(config({ url: 'postgres://holmes:s3cret@db:5432/holmes' }));
      } catch (caught) {
        return caught;
      }
    })();
    expect(HolmesError.isInstance(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as HolmesError).fix).toMatch(/password: \{ env: PGPASSWORD \}/);
  });

  it('takes the password from a URL given by reference, and the password reference over it', () => {
    const env = { PG_URI: 'postgres://app:from%40uri@db.svc:6432/app?sslmode=require', PG_PASSWORD: 'by-reference' };
    const fromUri = poolConfig(config({ url: { env: 'PG_URI' } }), env);
    expect(fromUri).toMatchObject({ host: 'db.svc', port: 6432, user: 'app', database: 'app', password: 'from@uri' });
    expect(fromUri.ssl).toEqual({ rejectUnauthorized: false });
    const both = poolConfig(config({ url: { env: 'PG_URI' }, password: { env: 'PG_PASSWORD' } }), env);
    expect(both.password).toBe('by-reference');
    expect(postgresLocation(config({ url: { env: 'PG_URI' } }), env)).toBe('db.svc:6432/app');
  });

  it('refuses a referenced value that is not a postgres URL', () => {
    expect(() => poolConfig(config({ url: { env: 'PG_URI' } }), { PG_URI: 'mysql://db/app' })).toThrow(
      /not a postgres:\/\/ URL/,
    );
  });

  it('carries the pool settings and TLS mode of the section', () => {
    const pool = poolConfig(
      config({
        url: 'postgres://holmes@db/holmes',
        sslmode: 'verify-full',
        pool: { max: 4, statementTimeoutMs: 5000 },
      }),
    );
    expect(pool).toMatchObject({ max: 4, statement_timeout: 5000, ssl: { rejectUnauthorized: true } });
  });
});
