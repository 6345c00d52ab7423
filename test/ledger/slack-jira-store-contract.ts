import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { group, resultFor } from '../server/fixtures/webhook.js';
import { LEASE, OPTIONS } from './investigation-store-contract.js';
import { until } from '../fixtures/postgres-locks.js';
import type { Peer, StoreBackend, StoreHandle } from './store-backends.js';

/**
 * Holds a name in this replica, starts a second holder in another replica, and lets the first go
 * once the second waits (on PostgreSQL, once the server shows its lock request waiting). Returns the order.
 */
async function raceFor(
  handle: StoreHandle,
  backend: StoreBackend,
  hold: (replica: Pick<Peer, 'slack' | 'jira'>, work: () => Promise<void>) => Promise<void>,
) {
  const peer = await handle.peer();
  try {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const holding = hold(handle, async () => {
      order.push('first in');
      await gate;
      order.push('first out');
    });
    await until(() => order.length > 0);
    const waiting = hold(peer, async () => void order.push('second in'));
    if (backend.name === 'postgres')
      await until(
        async () =>
          (
            await handle.rows<{ count: number }>(
              `SELECT count(*) AS count FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
            )
          )[0]!.count === 1,
      );
    release();
    await Promise.all([holding, waiting]);
    return order;
  } finally {
    await peer.close();
  }
}

/** What Slack's and Jira's records promise, whichever database keeps them. */
export function slackJiraStoreContract(backend: () => StoreBackend) {
  let handle: StoreHandle;
  describe('slack and jira stores', () => {
    beforeEach(async () => {
      handle = await backend().open();
    });
    afterEach(async () => {
      await handle.close();
    });

    describe('slack store', () => {
      it('claims an event id once, also after a restart', async () => {
        expect(await handle.slack().claimEvent('event:Ev1')).toBe(true);
        expect(await handle.slack().claimEvent('event:Ev1')).toBe(false);
        await handle.reopen();
        expect(await handle.slack().claimEvent('event:Ev1')).toBe(false);
        expect(await handle.slack().claimEvent('event:Ev2')).toBe(true);
      });

      it('forgets event ids older than a week when a new one arrives', async () => {
        let clock = new Date('2026-12-01T00:00:00Z');
        const store = handle.slack(() => clock);
        await store.claimEvent('event:old');
        clock = new Date('2026-12-09T00:00:00Z');
        await store.claimEvent('event:new');
        expect(await store.claimEvent('event:old')).toBe(true);
      });

      it('keeps the first channel decided for a message, its posted ts, and leads a thread back to its investigation', async () => {
        const store = handle.slack();
        await store.planMessage('investigation:i1', { channel: '#alerts', investigationId: 'i1' });
        expect((await store.planMessage('investigation:i1', { channel: '#elsewhere' })).channel).toBe('#alerts');
        expect(await store.investigationAt('C0ALERTS', '171.1')).toBeUndefined();
        await store.setPosted('investigation:i1', 'C0ALERTS', '171.1');
        expect(await store.message('investigation:i1')).toEqual({
          key: 'investigation:i1',
          channel: 'C0ALERTS',
          ts: '171.1',
          threadTs: null,
          investigationId: 'i1',
        });
        expect(await store.investigationAt('C0ALERTS', '171.1')).toBe('i1');
        await store.forgetTs('investigation:i1');
        expect((await store.message('investigation:i1'))!.ts).toBeNull();
      });

      it('returns the last turns of a thread oldest first, and hands waiters over once', async () => {
        const store = handle.slack();
        for (let index = 1; index <= 8; index += 1)
          await store.addTurn('C1:1.1', { question: `q${index}`, answer: `a${index}` });
        expect((await store.turns('C1:1.1', 3)).map((turn) => turn.question)).toEqual(['q6', 'q7', 'q8']);
        expect(await store.turns('C1:2.2')).toEqual([]);
        await store.addWaiter('i1', 'https://hooks.slack.com/commands/1', 'slack:U1');
        await store.addWaiter('i1', 'https://hooks.slack.com/commands/2', 'slack:U2');
        const handed: string[] = [];
        await store.takeWaiters('i1', async (waiter) => handed.push(`${waiter.responseUrl} ${waiter.requestedBy}`));
        await store.takeWaiters('i1', async (waiter) => handed.push(waiter.responseUrl));
        expect(handed).toEqual([
          'https://hooks.slack.com/commands/1 slack:U1',
          'https://hooks.slack.com/commands/2 slack:U2',
        ]);
      });

      it('keeps a waiter whose answer could not be queued, for the next hand-over', async () => {
        const store = handle.slack();
        await store.addWaiter('i1', 'https://hooks.slack.com/commands/1', 'slack:U1');
        await expect(
          store.takeWaiters('i1', async () => {
            throw new Error('the outbox is unreachable');
          }),
        ).rejects.toThrow('unreachable');
        const handed: string[] = [];
        await store.takeWaiters('i1', async (waiter) => handed.push(waiter.responseUrl));
        expect(handed).toEqual(['https://hooks.slack.com/commands/1']);
      });

      it('lets one replica at a time deliver a message: the second starts when the first is done', async () => {
        const order = await raceFor(handle, backend(), (replica, work) =>
          replica.slack().whileDelivering('investigation:i1', work),
        );
        expect(order).toEqual(['first in', 'first out', 'second in']);
      });
    });

    describe('jira store', () => {
      it('records the intent before a create, then the ticket, and forgets a ticket that is gone', async () => {
        const store = handle.jira(() => new Date('2026-12-02T10:00:00.000Z'));
        expect(await store.get('holmes-g1')).toBeUndefined();
        await store.recordIntent('holmes-g1', 'i1');
        expect(await store.get('holmes-g1')).toEqual({
          dedupLabel: 'holmes-g1',
          issueKey: null,
          issueUrl: null,
          investigationId: null,
          intent: { investigationId: 'i1', at: '2026-12-02T10:00:00.000Z' },
        });
        await store.clearIntent('holmes-g1');
        expect((await store.get('holmes-g1'))!.intent).toBeNull();
        await store.recordIntent('holmes-g1', 'i1');
        await store.recordTicket('holmes-g1', { key: 'OPS-1', url: 'https://jira/browse/OPS-1' }, 'i1');
        expect(await store.get('holmes-g1')).toMatchObject({ issueKey: 'OPS-1', investigationId: 'i1', intent: null });
        await store.forgetTicket('holmes-g1', 'OPS-2');
        expect((await store.get('holmes-g1'))!.issueKey).toBe('OPS-1');
        await store.forgetTicket('holmes-g1', 'OPS-1');
        expect(await store.get('holmes-g1')).toMatchObject({ issueKey: null, issueUrl: null });
      });

      it('keeps the moment Jira delivery was first enabled', async () => {
        expect(await handle.jira(() => new Date('2026-12-01T00:00:00.000Z')).enabledSince()).toBe(
          '2026-12-01T00:00:00.000Z',
        );
        expect(await handle.jira(() => new Date('2026-12-02T00:00:00.000Z')).enabledSince()).toBe(
          '2026-12-01T00:00:00.000Z',
        );
      });

      it('finds finished investigations with no ticket item, and resolved ones with no resolution item', async () => {
        const store = handle.jira();
        const investigations = handle.investigations();
        const outbox = handle.outbox();
        const { groupKey, alerts } = group('ChatLatencyHigh', 1);
        const { investigationId } = await investigations.accept(alerts, { ...OPTIONS, groupKey });
        const id = investigationId!;
        const since = new Date(Date.now() - 60_000).toISOString();
        expect(await store.finishedWithoutTicketItem(since)).toEqual([]);
        await investigations.claimNext(LEASE);
        await investigations.finish(id, { ...resultFor(alerts), id }, LEASE.owner);
        expect(await store.finishedWithoutTicketItem(since)).toEqual([id]);
        expect(await store.finishedWithoutTicketItem(new Date(Date.now() + 60_000).toISOString())).toEqual([]);
        await outbox.enqueue('jira', `investigation:${id}`, 'investigation', { investigationId: id });
        expect(await store.finishedWithoutTicketItem(since)).toEqual([]);

        expect(await store.resolvedWithoutResolveItem(since)).toEqual([]);
        const resolved = alerts.map((alert) => ({
          ...alert,
          status: 'resolved' as const,
          endsAt: new Date().toISOString(),
        }));
        await investigations.accept(resolved, { ...OPTIONS, groupKey, groupStatus: 'resolved' });
        expect(await store.resolvedWithoutResolveItem(since)).toEqual([id]);
        await outbox.enqueue('jira', `resolve:${id}`, 'resolve', { investigationId: id });
        expect(await store.resolvedWithoutResolveItem(since)).toEqual([]);
      });

      it('lets one replica at a time deliver a ticket of a label, and does not hold other labels', async () => {
        const order = await raceFor(handle, backend(), (replica, work) =>
          replica.jira().whileDelivering('holmes-g1', work),
        );
        expect(order).toEqual(['first in', 'first out', 'second in']);
        let release: (() => void) | undefined;
        const held = handle
          .jira()
          .whileDelivering('holmes-g1', () => new Promise<void>((resolve) => (release = resolve)));
        // Held once its work runs (on PostgreSQL, after a connection and the lock).
        await until(() => release !== undefined);
        expect(await handle.jira().whileDelivering('holmes-g2', async () => 'delivered')).toBe('delivered');
        release!();
        await held;
      });
    });
  });
}
