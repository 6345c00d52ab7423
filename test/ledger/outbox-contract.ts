import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rememberSecret } from '../../src/core/redact-secrets.js';
import type { Outbox } from '../../src/ledger/outbox.js';
import type { StoreBackend, StoreHandle } from './store-backends.js';

/** What every outbox promises, whichever database keeps it. */
export function outboxContract(backend: () => StoreBackend) {
  let handle: StoreHandle;
  let clock: Date;
  let outbox: Outbox;
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  describe('outbox', () => {
    beforeEach(async () => {
      handle = await backend().open();
      clock = new Date('2026-12-02T10:00:00.000Z');
      outbox = handle.outbox(() => clock);
    });
    afterEach(async () => {
      await handle.close();
    });

    it('queues a message once per key and hands it to one claimer', async () => {
      expect(await outbox.enqueue('slack', 'post:inv-1', 'post', { text: 'a' })).toMatchObject({ created: true });
      expect(await outbox.enqueue('slack', 'post:inv-1', 'post', { text: 'b' })).toMatchObject({ created: false });
      const [item] = await outbox.claim('slack', 10, 60_000);
      expect(item).toMatchObject({ key: 'post:inv-1', payload: { text: 'b' }, attempts: 1, state: 'sending' });
      expect(await outbox.claim('slack', 10, 60_000)).toEqual([]);
      expect(await outbox.claim('jira', 10, 60_000)).toEqual([]);
    });

    it('never sends a delivered post again, but sends a newer update again when asked to', async () => {
      await outbox.enqueue('slack', 'post:inv-1', 'post', { n: 1 });
      await outbox.complete((await outbox.claim('slack', 1, 60_000))[0]!, { ts: '1.2' });
      await outbox.enqueue('slack', 'post:inv-1', 'post', { n: 2 });
      expect(await outbox.claim('slack', 1, 60_000)).toEqual([]);
      expect(await outbox.get('slack', 'post:inv-1')).toMatchObject({ state: 'done', result: { ts: '1.2' } });

      await outbox.enqueue('slack', 'update:inv-1', 'update', { n: 1 }, { whenDone: 'resend' });
      await outbox.complete((await outbox.claim('slack', 1, 60_000))[0]!);
      await outbox.enqueue('slack', 'update:inv-1', 'update', { n: 2 }, { whenDone: 'resend' });
      expect((await outbox.claim('slack', 1, 60_000))[0]).toMatchObject({ payload: { n: 2 }, attempts: 1 });
    });

    it('keeps an item pending when its payload changed while it was being sent', async () => {
      await outbox.enqueue('slack', 'update:inv-1', 'update', { n: 1 }, { whenDone: 'resend' });
      const sending = (await outbox.claim('slack', 1, 60_000))[0]!;
      await outbox.enqueue('slack', 'update:inv-1', 'update', { n: 2 }, { whenDone: 'resend' });
      await outbox.complete(sending);
      expect((await outbox.claim('slack', 1, 60_000))[0]).toMatchObject({ payload: { n: 2 } });
    });

    it('retries after the delay and not before', async () => {
      await outbox.enqueue('jira', 'create:g1', 'create', {});
      await outbox.retry((await outbox.claim('jira', 1, 60_000))[0]!, '503 Service Unavailable', 30_000);
      advance(29_000);
      expect(await outbox.claim('jira', 1, 60_000)).toEqual([]);
      advance(1_000);
      expect((await outbox.claim('jira', 1, 60_000))[0]).toMatchObject({
        attempts: 2,
        lastError: '503 Service Unavailable',
      });
    });

    it('gives an item whose lease ran out (a crashed sender) to the next claimer, also after a reopen', async () => {
      await outbox.enqueue('jira', 'create:g1', 'create', {});
      expect(await outbox.claim('jira', 1, 60_000)).toHaveLength(1);
      await handle.reopen();
      outbox = handle.outbox(() => clock);
      expect(await outbox.claim('jira', 1, 60_000)).toEqual([]);
      advance(60_000);
      expect((await outbox.claim('jira', 1, 60_000))[0]).toMatchObject({ key: 'create:g1', attempts: 2 });
    });

    it('keeps a failed item with its reason and counts items by state', async () => {
      await outbox.enqueue('jira', 'create:g1', 'create', {});
      await outbox.enqueue('jira', 'create:g2', 'create', {});
      await outbox.fail((await outbox.claim('jira', 1, 60_000))[0]!, "project 'OPS' does not exist");
      expect(await outbox.get('jira', 'create:g1')).toMatchObject({
        state: 'failed',
        lastError: "project 'OPS' does not exist",
      });
      expect(await outbox.counts('jira')).toEqual({ pending: 1, sending: 0, done: 0, failed: 1 });
    });

    it('stores neither a known secret in a message nor one echoed in a delivery error', async () => {
      rememberSecret('xoxb-outbox-test-5a1f');
      await outbox.enqueue('slack', 'post:inv-1', 'post', { text: 'token xoxb-outbox-test-5a1f leaked in a label' });
      await outbox.retry((await outbox.claim('slack', 1, 60_000))[0]!, 'invalid_auth: xoxb-outbox-test-5a1f', 1_000);
      const rows = JSON.stringify(await handle.rows('SELECT * FROM outbox'));
      expect(rows).not.toContain('xoxb-outbox-test-5a1f');
      expect(rows).toContain('[redacted]');
    });
  });
}
