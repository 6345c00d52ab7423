import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createSpendLedger, type UsageEvent } from '../../src/ledger/spend-ledger.js';

let db: Db;
let clock: Date;

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

describe('createSpendLedger', () => {
  beforeEach(() => {
    db = openDatabase({ path: ':memory:' });
    clock = new Date('2025-11-20T10:00:00Z');
  });
  afterEach(() => db.close());

  it('sums spend per team over the UTC day and month', () => {
    const ledger = createSpendLedger(db, { now: () => clock });
    ledger.record(event({ usd: 1 }));
    clock = new Date('2025-11-21T09:00:00Z');
    ledger.record(event({ usd: 2 }));
    ledger.record(event({ team: 'search', usd: 4 }));
    expect(ledger.spent('chat')).toEqual({ dayUsd: 2, monthUsd: 3 });
    clock = new Date('2025-12-01T00:00:01Z');
    expect(ledger.spent('chat')).toEqual({ dayUsd: 0, monthUsd: 0 });
  });

  it('refuses a reservation that, with what is spent and what is held, would cross a limit', () => {
    const ledger = createSpendLedger(db, { now: () => clock });
    ledger.record(event({ usd: 6 }));
    const held = ledger.reserve('chat', 3, { dailyUsd: 10 });
    expect(held.ok).toBe(true);
    expect(ledger.reserve('chat', 2, { dailyUsd: 10 })).toEqual({
      ok: false,
      period: 'day',
      limitUsd: 10,
      spentUsd: 6,
      reservedUsd: 3,
      requestedUsd: 2,
    });
    expect(ledger.reserve('chat', 2, { monthlyUsd: 100 }).ok).toBe(true);
    // Another team's budget is its own.
    expect(ledger.reserve('search', 9, { dailyUsd: 10 }).ok).toBe(true);
  });

  it('replaces a reservation by the reported cost when it is settled', () => {
    const ledger = createSpendLedger(db, { now: () => clock });
    const held = ledger.reserve('chat', 5, { dailyUsd: 6 });
    if (!held.ok) throw new Error('not reserved');
    ledger.settle(held.id, event({ usd: 0.25, recordId: 'r1' }));
    expect(ledger.spent('chat').dayUsd).toBe(0.25);
    expect(ledger.reserve('chat', 5, { dailyUsd: 6 }).ok).toBe(true);
    expect(ledger.ofRecord('r1')).toMatchObject({ calls: 1, inputTokens: 1000, outputTokens: 100, usd: 0.25 });
  });

  it('drops reservations older than an hour, which no call can still hold', () => {
    const ledger = createSpendLedger(db, { now: () => clock });
    expect(ledger.reserve('chat', 9, { dailyUsd: 10 }).ok).toBe(true);
    expect(ledger.reserve('chat', 9, { dailyUsd: 10 }).ok).toBe(false);
    clock = new Date(clock.getTime() + 61 * 60_000);
    expect(ledger.reserve('chat', 9, { dailyUsd: 10 }).ok).toBe(true);
  });

  it('groups model spend by team, model, day, namespace, alert and tool', () => {
    const ledger = createSpendLedger(db, { now: () => clock });
    ledger.record(event({ namespace: 'llm', alertname: 'A', tool: 'gpu_sharing', usd: 1 }));
    ledger.record(event({ model: 'anthropic/claude-sonnet-4-5', namespace: 'llm', alertname: 'B', usd: 2 }));
    ledger.record(event({ kind: 'tool', tool: 'gpu_sharing', usd: 0, outputTokens: 300 }));
    expect(ledger.spendBy('model', { sinceDay: '2025-11-01' }).map((row) => [row.key, row.usd, row.calls])).toEqual([
      ['anthropic/claude-sonnet-4-5', 2, 1],
      ['openai/gpt-4o-mini', 1, 1],
    ]);
    expect(ledger.spendBy('alertname', { sinceDay: '2025-11-01', team: 'chat' }).map((row) => row.key)).toEqual([
      'A',
      'B',
    ]);
    expect(ledger.spendBy('tool', { sinceDay: '2025-11-01' }).map((row) => row.key)).toEqual(['-', 'gpu_sharing']);
    expect(ledger.spendBy('day', { sinceDay: '2025-11-21' })).toEqual([]);
  });

  it('totals model usage per team and model with cache tokens, estimated calls and flags, for /metrics', () => {
    const ledger = createSpendLedger(db, { now: () => clock });
    ledger.record(event({ inputTokens: 3_000, cachedTokens: 2_000, cacheWriteTokens: 500, usd: 0.1 }));
    ledger.record(event({ outcome: 'timeout', estimated: true, usd: 0.2 }));
    ledger.record(event({ inputTokens: 3_000_000, flag: 'over-reservation', usd: 1 }));
    ledger.record(event({ kind: 'tool', tool: 'gpu_sharing', inputTokens: 0, outputTokens: 50, usd: 0 }));
    ledger.record(event({ team: 'search', model: 'anthropic/claude-haiku-4-5', usd: 0.3 }));
    expect(ledger.totals()).toEqual([
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
});
