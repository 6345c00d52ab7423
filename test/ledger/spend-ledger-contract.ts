import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageEvent } from '../../src/ledger/spend-ledger.js';
import type { StoreBackend, StoreHandle } from './store-backends.js';

const event = (overrides: Partial<UsageEvent> = {}): UsageEvent => ({
  team: 'chat',
  kind: 'model',
  model: 'openai/gpt-4o-mini',
  outcome: 'ok',
  inputTokens: 1000,
  cachedTokens: 0,
  outputTokens: 100,
  usd: 0.5,
  ...overrides,
});

/** What every spend ledger promises, whichever database keeps it. */
export function spendLedgerContract(backend: () => StoreBackend) {
  let handle: StoreHandle;
  let clock: Date;

  describe('spend ledger', () => {
    beforeEach(async () => {
      handle = await backend().open();
      clock = new Date('2025-11-20T10:00:00Z');
    });
    afterEach(async () => {
      await handle.close();
    });

    it('sums spend per team over the UTC day and month', async () => {
      const ledger = handle.ledger(() => clock);
      await ledger.record(event({ usd: 1 }));
      clock = new Date('2025-11-21T09:00:00Z');
      await ledger.record(event({ usd: 2 }));
      await ledger.record(event({ team: 'search', usd: 4 }));
      expect(await ledger.spent('chat')).toEqual({ dayUsd: 2, monthUsd: 3 });
      clock = new Date('2025-12-01T00:00:01Z');
      expect(await ledger.spent('chat')).toEqual({ dayUsd: 0, monthUsd: 0 });
    });

    it('refuses a reservation that, with what is spent and what is held, would cross a limit', async () => {
      const ledger = handle.ledger(() => clock);
      await ledger.record(event({ usd: 6 }));
      const held = await ledger.reserve('chat', 3, { dailyUsd: 10 });
      expect(held.ok).toBe(true);
      expect(await ledger.reserve('chat', 2, { dailyUsd: 10 })).toEqual({
        ok: false,
        period: 'day',
        limitUsd: 10,
        spentUsd: 6,
        reservedUsd: 3,
        requestedUsd: 2,
      });
      expect((await ledger.reserve('chat', 2, { monthlyUsd: 100 })).ok).toBe(true);
      // Another team's budget is its own.
      expect((await ledger.reserve('search', 9, { dailyUsd: 10 })).ok).toBe(true);
    });

    it('replaces a reservation by the reported cost when it is settled', async () => {
      const ledger = handle.ledger(() => clock);
      const held = await ledger.reserve('chat', 5, { dailyUsd: 6 });
      if (!held.ok) throw new Error('not reserved');
      await ledger.settle(held.id, event({ usd: 0.25, recordId: 'r1' }));
      expect((await ledger.spent('chat')).dayUsd).toBe(0.25);
      expect((await ledger.reserve('chat', 5, { dailyUsd: 6 })).ok).toBe(true);
      expect(await ledger.ofRecord('r1')).toMatchObject({ calls: 1, inputTokens: 1000, outputTokens: 100, usd: 0.25 });
    });

    it('drops reservations older than an hour, which no call can still hold', async () => {
      const ledger = handle.ledger(() => clock);
      expect((await ledger.reserve('chat', 9, { dailyUsd: 10 })).ok).toBe(true);
      expect((await ledger.reserve('chat', 9, { dailyUsd: 10 })).ok).toBe(false);
      clock = new Date(clock.getTime() + 61 * 60_000);
      expect((await ledger.reserve('chat', 9, { dailyUsd: 10 })).ok).toBe(true);
    });

    it('groups model spend by team, model, day, namespace, alert and tool', async () => {
      const ledger = handle.ledger(() => clock);
      await ledger.record(event({ namespace: 'llm', alertname: 'A', tool: 'gpu_sharing', usd: 1 }));
      await ledger.record(event({ model: 'anthropic/claude-sonnet-4-5', namespace: 'llm', alertname: 'B', usd: 2 }));
      await ledger.record(event({ kind: 'tool', tool: 'gpu_sharing', usd: 0, outputTokens: 300 }));
      expect(
        (await ledger.spendBy('model', { sinceDay: '2025-11-01' })).map((row) => [row.key, row.usd, row.calls]),
      ).toEqual([
        ['anthropic/claude-sonnet-4-5', 2, 1],
        ['openai/gpt-4o-mini', 1, 1],
      ]);
      expect(
        (await ledger.spendBy('alertname', { sinceDay: '2025-11-01', team: 'chat' })).map((row) => row.key),
      ).toEqual(['A', 'B']);
      expect((await ledger.spendBy('tool', { sinceDay: '2025-11-01' })).map((row) => row.key)).toEqual([
        '-',
        'gpu_sharing',
      ]);
      expect(await ledger.spendBy('day', { sinceDay: '2025-11-21' })).toEqual([]);
    });

    it('totals model usage per team and model with cache tokens, estimated calls and flags, for /metrics', async () => {
      const ledger = handle.ledger(() => clock);
      await ledger.record(event({ inputTokens: 3_000, cachedTokens: 2_000, cacheWriteTokens: 500, usd: 0.1 }));
      await ledger.record(event({ outcome: 'timeout', estimated: true, usd: 0.2 }));
      await ledger.record(event({ inputTokens: 3_000_000, flag: 'over-reservation', usd: 1 }));
      await ledger.record(event({ kind: 'tool', tool: 'gpu_sharing', inputTokens: 0, outputTokens: 50, usd: 0 }));
      await ledger.record(event({ team: 'search', model: 'anthropic/claude-haiku-4-5', usd: 0.3 }));
      expect(await ledger.totals()).toEqual([
        {
          team: 'chat',
          model: 'openai/gpt-4o-mini',
          calls: 3,
          inputTokens: 3_000 + 1_000 + 3_000_000,
          cachedTokens: 2_000,
          cacheWriteTokens: 500,
          outputTokens: 300,
          usd: expect.closeTo(1.3, 12),
          estimatedCalls: 1,
          flaggedCalls: 1,
        },
        expect.objectContaining({ team: 'search', model: 'anthropic/claude-haiku-4-5', calls: 1, estimatedCalls: 0 }),
      ]);
    });

    it('keeps a team inside its budget when three connections reserve and settle at once, and sums what was settled', async () => {
      // Three replicas: each its own connection (SQLite) or pool (PostgreSQL) on the one store.
      const peers = await Promise.all([handle.peer(), handle.peer(), handle.peer()]);
      try {
        const limits = { dailyUsd: 1 };
        const settled: number[] = [];
        let refused = 0;
        await Promise.all(
          peers.map(async (peer, replica) => {
            const ledger = peer.ledger(() => clock);
            for (let call = 0; call < 15; call += 1) {
              const held = await ledger.reserve('chat', 0.1, limits);
              if (!held.ok) {
                refused += 1;
                continue;
              }
              // The provider reports less than the worst case, as it does.
              const usd = 0.05 + ((replica * 15 + call) % 5) * 0.01;
              await ledger.settle(held.id, event({ usd, recordId: `r${replica}` }));
              settled.push(usd);
            }
          }),
        );
        const spent = (await handle.ledger(() => clock).spent('chat')).dayUsd;
        expect(spent).toBeLessThanOrEqual(1 + 1e-9);
        expect(spent).toBeCloseTo(
          settled.reduce((sum, usd) => sum + usd, 0),
          9,
        );
        expect(refused).toBeGreaterThan(0);
        // Every hold was released when settled: nothing is left held.
        expect((await handle.ledger(() => clock).reserve('chat', 1 - spent, limits)).ok).toBe(true);
      } finally {
        await Promise.all(peers.map((peer) => peer.close()));
      }
    });
  });
}
