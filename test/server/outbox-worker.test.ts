import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createOutbox, type Outbox } from '../../src/ledger/outbox.js';
import { createOutboxWorker, retryDelay, type DeliveryOutcome } from '../../src/server/outbox-worker.js';

let dir: string;
let db: Db;
let outbox: Outbox;

async function until(condition: () => Promise<boolean>) {
  for (let tries = 0; tries < 500 && !(await condition()); tries += 1)
    await new Promise((resolve) => setTimeout(resolve, 5));
  expect(await condition()).toBe(true);
}

describe('createOutboxWorker', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-outbox-worker-'));
    db = openDatabase({ path: join(dir, 'holmes.db') });
    outbox = createOutbox(db);
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers once after the receiver was down, honouring its Retry-After', async () => {
    const answers: DeliveryOutcome[] = [
      { status: 'retry', error: 'connect ECONNREFUSED' },
      { status: 'retry', error: '429 Too Many Requests', retryAfterMs: 20 },
      { status: 'delivered', result: { ts: '171.1' } },
    ];
    const seen: number[] = [];
    const worker = createOutboxWorker({
      outbox,
      channel: 'slack',
      logger: await createLogger({ level: 'silent' }),
      pollMs: 5,
      backoff: { baseMs: 10, maxMs: 50 },
      deliver: async (item) => {
        seen.push(item.attempts);
        return answers.shift()!;
      },
    });
    await outbox.enqueue('slack', 'post:inv-1', 'post', { text: 'hi' });
    worker.start();
    await until(async () => (await outbox.get('slack', 'post:inv-1'))?.state === 'done');
    await worker.stop();
    expect(seen).toEqual([1, 2, 3]);
    expect((await outbox.get('slack', 'post:inv-1'))?.result).toEqual({ ts: '171.1' });
  });

  it('fails a message that can never be delivered, and retries one whose adapter threw', async () => {
    let calls = 0;
    const worker = createOutboxWorker({
      outbox,
      channel: 'jira',
      logger: await createLogger({ level: 'silent' }),
      pollMs: 5,
      backoff: { baseMs: 5, maxMs: 5 },
      deliver: async (item) => {
        calls += 1;
        if (item.key === 'bad') return { status: 'failed', error: 'unknown project OPS' };
        if (item.attempts === 1) throw new Error('socket hang up');
        return { status: 'delivered' };
      },
    });
    await outbox.enqueue('jira', 'bad', 'create', {});
    await outbox.enqueue('jira', 'good', 'create', {});
    worker.start();
    await until(async () => (await outbox.get('jira', 'good'))?.state === 'done');
    await worker.stop();
    expect(await outbox.get('jira', 'bad')).toMatchObject({ state: 'failed', lastError: 'unknown project OPS' });
    expect(calls).toBe(3);
  });
});

describe('retryDelay', () => {
  it('doubles from the base up to the cap, and prefers the receiver’s Retry-After', async () => {
    const backoff = { baseMs: 1_000, maxMs: 8_000 };
    expect([1, 2, 3, 4, 5].map((attempts) => retryDelay(attempts, backoff))).toEqual([
      1_000, 2_000, 4_000, 8_000, 8_000,
    ]);
    expect(retryDelay(1, backoff, 30_000)).toBe(30_000);
  });
});
