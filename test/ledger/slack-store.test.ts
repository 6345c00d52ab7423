import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createSlackStore } from '../../src/ledger/slack-store.js';

let dir: string;
let db: Db;

describe('createSlackStore', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-slack-store-'));
    db = openDatabase({ path: join(dir, 'holmes.db') });
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('claims an event id once, also from a new process on the same file', async () => {
    expect(await createSlackStore(db).claimEvent('event:Ev1')).toBe(true);
    expect(await createSlackStore(db).claimEvent('event:Ev1')).toBe(false);
    db.close();
    db = openDatabase({ path: join(dir, 'holmes.db') });
    expect(await createSlackStore(db).claimEvent('event:Ev1')).toBe(false);
    expect(await createSlackStore(db).claimEvent('event:Ev2')).toBe(true);
  });

  it('keeps the first channel decided for a message, its posted ts, and leads a thread back to its investigation', async () => {
    const store = createSlackStore(db);
    await store.planMessage('investigation:i1', { channel: '#alerts', investigationId: 'i1' });
    expect((await store.planMessage('investigation:i1', { channel: '#elsewhere' })).channel).toBe('#alerts');
    expect(await store.investigationAt('C0ALERTS', '171.1')).toBeUndefined();
    await store.setPosted('investigation:i1', 'C0ALERTS', '171.1');
    expect(await store.message('investigation:i1')).toMatchObject({
      channel: 'C0ALERTS',
      ts: '171.1',
      investigationId: 'i1',
    });
    expect(await store.investigationAt('C0ALERTS', '171.1')).toBe('i1');
    await store.forgetTs('investigation:i1');
    expect((await store.message('investigation:i1'))!.ts).toBeNull();
  });

  it('returns the last turns of a thread oldest first, and hands waiters over once', async () => {
    const store = createSlackStore(db);
    for (let index = 1; index <= 8; index += 1)
      await store.addTurn('C1:1.1', { question: `q${index}`, answer: `a${index}` });
    expect((await store.turns('C1:1.1', 3)).map((turn) => turn.question)).toEqual(['q6', 'q7', 'q8']);
    await store.addWaiter('i1', 'https://hooks.slack.com/commands/1', 'slack:U1');
    const handed: string[] = [];
    await store.takeWaiters('i1', (waiter) => handed.push(`${waiter.responseUrl} ${waiter.requestedBy}`));
    await store.takeWaiters('i1', (waiter) => handed.push(waiter.responseUrl));
    expect(handed).toEqual(['https://hooks.slack.com/commands/1 slack:U1']);
  });
});
