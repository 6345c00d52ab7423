import { randomInt } from 'node:crypto';
import pg from 'pg';
import type { PgPool } from './open-postgres.js';

/**
 * The class of the advisory locks that mark live replicas ('HLMS'). Two-key advisory locks never
 * meet the one-key lock the migrations take: PostgreSQL keeps the two key spaces apart.
 */
export const REPLICA_LOCK_CLASS = 0x484c4d53;

// The server notices a replica whose host vanished (no FIN, no RST) within about a minute, not
// after the kernel's two-hour default: idle 30 s, then 3 probes 10 s apart. Any user may set these.
const KEEPALIVE = ['SET tcp_keepalives_idle = 30', 'SET tcp_keepalives_interval = 10', 'SET tcp_keepalives_count = 3'];

/**
 * This replica's mark in PostgreSQL: one connection of its own holding a session advisory lock on
 * a key nobody else uses. PostgreSQL releases the lock when that connection ends, whether the
 * process exited, was killed -9 or its host went away, so another replica can tell a live replica's
 * budget holds from a dead one's by trying the lock, without clocks or heartbeats of our own.
 */
export interface ReplicaSession {
  /** The key this replica holds now; a lost connection gets a new key on the next call. */
  key(): Promise<number>;
  close(): Promise<void>;
}

const sessions = new WeakMap<PgPool, ReplicaSession>();

/** The replica session of a pool: one per pool, opened on first use and ended with the pool. */
export function replicaSession(pool: PgPool): ReplicaSession {
  const existing = sessions.get(pool);
  if (existing) return existing;
  let current: Promise<{ client: pg.Client; key: number }> | undefined;
  let closed = false;

  async function open(): Promise<{ client: pg.Client; key: number }> {
    const client = new pg.Client(pool.options);
    // A connection the server dropped: forget it; the next hold opens another under a new key.
    client.on('error', () => {
      current = undefined;
      client.end().catch(() => undefined);
    });
    client.on('end', () => {
      current = undefined;
    });
    await client.connect();
    for (const statement of KEEPALIVE) await client.query(statement);
    const key = randomInt(1, 2 ** 31 - 1);
    await client.query('SELECT pg_advisory_lock($1, $2)', [REPLICA_LOCK_CLASS, key]);
    return { client, key };
  }

  const session: ReplicaSession = {
    async key() {
      if (closed) throw new Error('the replica session is closed');
      current ??= open().catch((error: unknown) => {
        current = undefined;
        throw error;
      });
      return (await current).key;
    },
    async close() {
      closed = true;
      const opened = current;
      current = undefined;
      if (opened) await (await opened.catch(() => undefined))?.client.end().catch(() => undefined);
    },
  };
  sessions.set(pool, session);
  const end = pool.end.bind(pool);
  pool.end = (async () => {
    await session.close();
    return end();
  }) as PgPool['end'];
  return session;
}
