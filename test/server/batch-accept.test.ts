import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createInvestigationStore,
  type AcceptOptions,
  type InvestigationStore,
} from '../../src/ledger/investigation-store.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createBatchAccept } from '../../src/server/batch-accept.js';
import { group } from './fixtures/webhook.js';

const OPTIONS: AcceptOptions = {
  groupKey: 'g',
  groupStatus: 'firing',
  source: 'webhook',
  maxQueue: 100,
  maxAlertsPerGroup: 20,
};

let db: Db;
let store: InvestigationStore;
let commits: number[];

describe('createBatchAccept', () => {
  beforeEach(() => {
    db = openDatabase({ path: ':memory:' });
    store = createInvestigationStore(db);
    commits = [];
  });
  afterEach(() => {
    if (db.open) db.close();
  });

  // The real store, counting its commits.
  const counted = () => ({
    acceptMany: (items: Parameters<InvestigationStore['acceptMany']>[0]) => (
      commits.push(items.length),
      store.acceptMany(items)
    ),
  });

  it('writes the notifications of one event-loop turn in one commit and answers each with its own outcome', async () => {
    const accept = createBatchAccept(counted());
    const outcomes = await Promise.all(
      ['A', 'B', 'C'].map((name) => accept(group(name, 2).alerts, { ...OPTIONS, groupKey: name })),
    );
    expect(commits).toEqual([3]);
    expect(outcomes.map((outcome) => outcome.accepted)).toEqual([2, 2, 2]);
    expect(new Set(outcomes.map((outcome) => outcome.investigationId)).size).toBe(3);
    const later = await accept(group('D', 1).alerts, { ...OPTIONS, groupKey: 'D' });
    expect(later.created).toBe(true);
    expect(commits).toEqual([3, 1]);
  });

  it('answers nothing before the commit: every outcome it resolves is already in the store', async () => {
    const accept = createBatchAccept(counted());
    const pending = accept(group('A', 1).alerts, OPTIONS);
    expect(await store.list()).toEqual([]);
    const outcome = await pending;
    expect(await store.get(outcome.investigationId!)).toBeDefined();
  });

  it('rejects every notification of the batch when the commit itself fails', async () => {
    const accept = createBatchAccept(counted());
    db.close();
    const results = await Promise.allSettled([
      accept(group('A', 1).alerts, OPTIONS),
      accept(group('B', 1).alerts, { ...OPTIONS, groupKey: 'b' }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('writes a notification of 1,201 alerts in three commits, lets others in between, and answers it as one', async () => {
    const accept = createBatchAccept(counted());
    const { alerts } = group('Storm', 1_201);
    const big = accept(alerts, { ...OPTIONS, groupKey: 'storm', groupStatus: 'resolved' });
    // A small notification sent meanwhile is committed before the big one is done.
    let bigDone = false;
    void big.then(() => (bigDone = true));
    const small = await accept(group('Small', 1).alerts, { ...OPTIONS, groupKey: 'small' });
    expect(small).toMatchObject({ accepted: 1, created: true });
    expect(bigDone).toBe(false);
    expect(await big).toMatchObject({ accepted: 1_201, duplicates: 0, created: true, queueFull: false });
    expect(commits.reduce((sum, items) => sum + items, 0)).toBe(4);
    expect(commits.length).toBeGreaterThanOrEqual(3);
    // The group was resolved once, by the last slice: the investigation of its alerts is closed.
    const storm = await store.list({ alertname: 'Storm' });
    expect(storm).toHaveLength(1);
    expect(storm[0]!.resolvedAt).not.toBeNull();
  });
});
