import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PgPool } from '../../../src/ledger/postgres/open-postgres.js';
import { createPostgresSpendLedger } from '../../../src/ledger/postgres/postgres-spend-ledger.js';
import { REPLICA_LOCK_CLASS } from '../../../src/ledger/postgres/replica-session.js';
import { tsxCommand } from '../../cli/run-cli.js';
import { startPostgresCluster, type PostgresCluster } from '../../fixtures/postgres-cluster.js';
import { postgresConfig } from '../../fixtures/postgres-config.js';

const HOLDER = fileURLToPath(new URL('../../fixtures/hold-budget.ts', import.meta.url));
const LIMITS = { dailyUsd: 1 };

let cluster: PostgresCluster | undefined;
beforeAll(async () => {
  cluster = await startPostgresCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

async function holds(pool: PgPool): Promise<Array<{ id: string; session_key: number | null }>> {
  return (await pool.query('SELECT id, session_key FROM budget_reservations ORDER BY created_at')).rows;
}

/** Polls until `condition` holds: a killed backend ends when the server reads the closed socket. */
async function eventually(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('budget holds of replicas on PostgreSQL', () => {
  it('counts a live replica’s hold, and drops it as soon as that replica is killed -9 on another host (not an hour later)', async () => {
    const url = await cluster!.createDatabase();
    const pool = await openPostgres(postgresConfig(url));
    try {
      const holder = tsxCommand(HOLDER, [url, 'chat', '0.8']);
      const child = spawn(holder.command, holder.args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const [line] = (await once(child.stdout!, 'data')) as [Buffer];
      const held = JSON.parse(line.toString()) as { ok: boolean; id: string };
      expect(held.ok).toBe(true);

      // As if the holder ran on another machine: its pid cannot be checked from here.
      await pool.query("UPDATE budget_reservations SET host = 'gpu-ops-7'");
      const ledger = createPostgresSpendLedger(pool);
      // The other replica is alive: its $0.80 counts, so $0.50 more would cross the $1 budget.
      expect(await ledger.reserve('chat', 0.5, LIMITS)).toMatchObject({ ok: false, reservedUsd: 0.8 });
      const [row] = await holds(pool);
      expect(row).toMatchObject({ id: held.id });
      expect(row!.session_key).toEqual(expect.any(Number));

      child.kill('SIGKILL');
      await once(child, 'exit');
      await eventually(
        async () =>
          (
            await pool.query('SELECT 1 FROM pg_locks WHERE locktype = $1 AND classid = $2 AND objid = $3', [
              'advisory',
              REPLICA_LOCK_CLASS,
              row!.session_key,
            ])
          ).rowCount === 0,
        "the killed replica's session to end",
      );
      const after = await ledger.reserve('chat', 0.5, LIMITS);
      expect(after.ok).toBe(true);
      // The dead replica's hold is gone; this replica's own is kept.
      expect((await holds(pool)).map((entry) => entry.id)).toEqual([(after as { id: string }).id]);
    } finally {
      await pool.end();
    }
  });

  it('never drops the hold of a live replica, whatever host it claims, and lets it go when that replica closes', async () => {
    const url = await cluster!.createDatabase();
    const [first, second] = [await openPostgres(postgresConfig(url)), await openPostgres(postgresConfig(url))];
    try {
      const a = createPostgresSpendLedger(first);
      const b = createPostgresSpendLedger(second);
      expect((await a.reserve('chat', 0.6, LIMITS)).ok).toBe(true);
      // As if replica A ran on another machine, with a pid this one does not have.
      await second.query("UPDATE budget_reservations SET host = 'gpu-ops-7', pid = 999999");
      expect(await b.reserve('chat', 0.6, LIMITS)).toMatchObject({ ok: false, reservedUsd: 0.6 });
      expect(await holds(second)).toHaveLength(1);

      await first.end();
      expect((await b.reserve('chat', 0.6, LIMITS)).ok).toBe(true);
    } finally {
      await second.end();
      await first.end().catch(() => undefined);
    }
  });
});
