import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createOutbox, type Outbox } from '../../src/ledger/outbox.js';
import { rememberSecret } from '../../src/core/redact-secrets.js';

let dir: string;
let db: Db;
let clock: Date;
let outbox: Outbox;

const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

describe('createOutbox', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-outbox-'));
    db = openDatabase({ path: join(dir, 'holmes.db') });
    clock = new Date('2026-12-02T10:00:00.000Z');
    outbox = createOutbox(db, { now: () => clock });
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('queues a message once per key and hands it to one claimer', () => {
    expect(outbox.enqueue('slack', 'post:inv-1', 'post', { text: 'a' })).toMatchObject({ created: true });
    expect(outbox.enqueue('slack', 'post:inv-1', 'post', { text: 'b' })).toMatchObject({ created: false });
    const [item] = outbox.claim('slack', 10, 60_000);
    expect(item).toMatchObject({ key: 'post:inv-1', payload: { text: 'b' }, attempts: 1, state: 'sending' });
    expect(outbox.claim('slack', 10, 60_000)).toEqual([]);
    expect(outbox.claim('jira', 10, 60_000)).toEqual([]);
  });

  it('never sends a delivered post again, but sends a newer update again when asked to', () => {
    outbox.enqueue('slack', 'post:inv-1', 'post', { n: 1 });
    outbox.complete(outbox.claim('slack', 1, 60_000)[0]!, { ts: '1.2' });
    outbox.enqueue('slack', 'post:inv-1', 'post', { n: 2 });
    expect(outbox.claim('slack', 1, 60_000)).toEqual([]);
    expect(outbox.get('slack', 'post:inv-1')).toMatchObject({ state: 'done', result: { ts: '1.2' } });

    outbox.enqueue('slack', 'update:inv-1', 'update', { n: 1 }, { whenDone: 'resend' });
    outbox.complete(outbox.claim('slack', 1, 60_000)[0]!);
    outbox.enqueue('slack', 'update:inv-1', 'update', { n: 2 }, { whenDone: 'resend' });
    expect(outbox.claim('slack', 1, 60_000)[0]).toMatchObject({ payload: { n: 2 }, attempts: 1 });
  });

  it('keeps an item pending when its payload changed while it was being sent', () => {
    outbox.enqueue('slack', 'update:inv-1', 'update', { n: 1 }, { whenDone: 'resend' });
    const sending = outbox.claim('slack', 1, 60_000)[0]!;
    outbox.enqueue('slack', 'update:inv-1', 'update', { n: 2 }, { whenDone: 'resend' });
    outbox.complete(sending);
    expect(outbox.claim('slack', 1, 60_000)[0]).toMatchObject({ payload: { n: 2 } });
  });

  it('retries after the delay and not before', () => {
    outbox.enqueue('jira', 'create:g1', 'create', {});
    outbox.retry(outbox.claim('jira', 1, 60_000)[0]!, '503 Service Unavailable', 30_000);
    advance(29_000);
    expect(outbox.claim('jira', 1, 60_000)).toEqual([]);
    advance(1_000);
    expect(outbox.claim('jira', 1, 60_000)[0]).toMatchObject({ attempts: 2, lastError: '503 Service Unavailable' });
  });

  it('gives an item whose lease ran out (a crashed sender) to the next claimer, also after a reopen', () => {
    outbox.enqueue('jira', 'create:g1', 'create', {});
    expect(outbox.claim('jira', 1, 60_000)).toHaveLength(1);
    db.close();
    db = openDatabase({ path: join(dir, 'holmes.db') });
    outbox = createOutbox(db, { now: () => clock });
    expect(outbox.claim('jira', 1, 60_000)).toEqual([]);
    advance(60_000);
    expect(outbox.claim('jira', 1, 60_000)[0]).toMatchObject({ key: 'create:g1', attempts: 2 });
  });

  it('keeps a failed item with its reason and counts items by state', () => {
    outbox.enqueue('jira', 'create:g1', 'create', {});
    outbox.enqueue('jira', 'create:g2', 'create', {});
    outbox.fail(outbox.claim('jira', 1, 60_000)[0]!, "project 'OPS' does not exist");
    expect(outbox.get('jira', 'create:g1')).toMatchObject({
      state: 'failed',
      lastError: "project 'OPS' does not exist",
    });
    expect(outbox.counts('jira')).toEqual({ pending: 1, sending: 0, done: 0, failed: 1 });
  });

  it('stores neither a known secret in a message nor one echoed in a delivery error', () => {
    rememberSecret('xoxb-outbox-test-5a1f');
    outbox.enqueue('slack', 'post:inv-1', 'post', { text: 'token xoxb-outbox-test-5a1f leaked in a label' });
    outbox.retry(outbox.claim('slack', 1, 60_000)[0]!, 'invalid_auth: xoxb-outbox-test-5a1f', 1_000);
    const rows = JSON.stringify(db.prepare('SELECT * FROM outbox').all());
    expect(rows).not.toContain('xoxb-outbox-test-5a1f');
    expect(rows).toContain('[redacted]');
  });
});
