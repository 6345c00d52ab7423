import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createInvestigationStore,
  type AcceptOptions,
  type InvestigationStore,
} from '../../src/ledger/investigation-store.js';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import type { Alert } from '../../src/core/alert.js';
import { rememberSecret } from '../../src/core/redact-secrets.js';
import { group, makeAlert, resultFor } from '../server/fixtures/webhook.js';

const OPTIONS: AcceptOptions = {
  groupKey: 'g',
  groupStatus: 'firing',
  source: 'webhook',
  maxQueue: 100,
  maxAlertsPerGroup: 20,
};

let dir: string;
let db: Db;
let store: InvestigationStore;

function count(table: 'alerts' | 'investigations'): number {
  return (db.prepare(`SELECT count(*) AS count FROM ${table}`).get() as { count: number }).count;
}

describe('createInvestigationStore', () => {
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-store-test-'));
    db = openDatabase({ path: join(dir, 'holmes.db') });
    store = createInvestigationStore(db);
  });
  afterEach(async () => {
    if (db.open) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('persists the alerts and queues one investigation when a group fires for the first time', () => {
    const { groupKey, alerts } = group('KubePodCrashLooping', 3);
    const outcome = store.accept(alerts, { ...OPTIONS, groupKey });
    expect(outcome).toMatchObject({ accepted: 3, duplicates: 0, created: true, queueFull: false });
    expect(count('alerts')).toBe(3);
    const row = store.get(outcome.investigationId!);
    expect(row).toMatchObject({
      state: 'queued',
      groupKey,
      source: 'webhook',
      alertname: 'KubePodCrashLooping',
      namespace: 'search',
      team: 'search',
      alertCount: 3,
      attempts: 0,
    });
    expect(row!.alerts.map((alert) => alert.labels.pod)).toEqual([
      'kubepodcrashlooping-0',
      'kubepodcrashlooping-1',
      'kubepodcrashlooping-2',
    ]);
  });

  it('counts duplicates and starts nothing when the same alerts arrive again (repeat, retry or HA peer)', () => {
    const { groupKey, alerts } = group('KubePodCrashLooping', 2);
    const first = store.accept(alerts, { ...OPTIONS, groupKey });
    const again = store.accept(alerts, { ...OPTIONS, groupKey });
    // An HA peer's notification carries the same alerts (fingerprint + startsAt) under the same group.
    const peer = store.accept(
      alerts.map((alert) => ({ ...alert, annotations: { summary: 'from the peer' } })),
      { ...OPTIONS, groupKey },
    );
    expect(again).toMatchObject({ accepted: 0, duplicates: 2, created: false, investigationId: first.investigationId });
    expect(peer).toMatchObject({ accepted: 0, duplicates: 2, created: false, investigationId: first.investigationId });
    expect(count('alerts')).toBe(2);
    expect(count('investigations')).toBe(1);
  });

  it('deduplicates on fingerprint + startsAt even when the group key differs', () => {
    const alert = makeAlert({ alertname: 'X', pod: 'a' });
    store.accept([alert], { ...OPTIONS, groupKey: 'route-1' });
    const other = store.accept([alert], { ...OPTIONS, groupKey: 'route-2' });
    expect(other).toMatchObject({ accepted: 0, duplicates: 1, created: false, investigationId: undefined });
    expect(count('investigations')).toBe(1);
  });

  it('joins new alerts of a firing group to its open investigation instead of starting another', () => {
    const { groupKey, alerts } = group('HighLatency', 3);
    const first = store.accept(alerts.slice(0, 1), { ...OPTIONS, groupKey });
    const later = store.accept(alerts, { ...OPTIONS, groupKey });
    expect(later).toMatchObject({ accepted: 2, duplicates: 1, created: false, investigationId: first.investigationId });
    expect(store.get(first.investigationId!)!.alertCount).toBe(3);
  });

  it('considers at most maxAlertsPerGroup alerts of a group, across notifications, while keeping every alert', () => {
    const { groupKey, alerts } = group('HighLatency', 8);
    const first = store.accept(alerts.slice(0, 5), { ...OPTIONS, groupKey, maxAlertsPerGroup: 3 });
    store.accept(alerts, { ...OPTIONS, groupKey, maxAlertsPerGroup: 3 });
    expect(count('alerts')).toBe(8);
    expect(store.get(first.investigationId!)).toMatchObject({ alertCount: 3 });
    expect(store.claimNext()!.alerts).toHaveLength(3);
  });

  it('marks the same investigation resolved and starts nothing when the group resolves', () => {
    const { groupKey, alerts } = group('KubePodCrashLooping', 2);
    const fired = store.accept(alerts, { ...OPTIONS, groupKey });
    const resolved = alerts.map((alert) => ({ ...alert, status: 'resolved' as const, endsAt: '2026-11-26T07:00:00Z' }));
    const outcome = store.accept(resolved, {
      ...OPTIONS,
      groupKey,
      groupStatus: 'resolved',
      now: new Date('2026-11-26T07:00:05Z'),
    });
    expect(outcome).toMatchObject({ created: false, investigationId: fired.investigationId, resolvedUpdated: 3 });
    expect(store.get(fired.investigationId!)).toMatchObject({
      resolvedAt: '2026-11-26T07:00:05.000Z',
      state: 'queued',
    });
    expect(store.get(fired.investigationId!)!.alerts.every((alert) => alert.status === 'resolved')).toBe(true);
    // The resolution repeated (retry, HA peer) changes nothing more.
    expect(store.accept(resolved, { ...OPTIONS, groupKey, groupStatus: 'resolved' })).toMatchObject({
      duplicates: 2,
      resolvedUpdated: 0,
      created: false,
    });
    expect(count('investigations')).toBe(1);
  });

  it('starts a new investigation when a resolved group fires again with a new startsAt', () => {
    const alert = makeAlert({ alertname: 'X', pod: 'a' });
    const first = store.accept([alert], OPTIONS);
    store.accept([{ ...alert, status: 'resolved' }], { ...OPTIONS, groupStatus: 'resolved' });
    const again = store.accept([{ ...alert, startsAt: '2026-11-26T09:00:00Z' }], OPTIONS);
    expect(again.created).toBe(true);
    expect(again.investigationId).not.toBe(first.investigationId);
  });

  it('records a resolution it never saw firing without starting an investigation', () => {
    const outcome = store.accept([makeAlert({ alertname: 'X' }, { status: 'resolved' })], {
      ...OPTIONS,
      groupStatus: 'resolved',
    });
    expect(outcome).toMatchObject({ accepted: 1, created: false, investigationId: undefined });
    expect(count('investigations')).toBe(0);
  });

  it('writes nothing and reports queueFull when a new group arrives with maxQueue investigations waiting', () => {
    store.accept(group('A', 1).alerts, { ...OPTIONS, groupKey: 'a', maxQueue: 2 });
    store.accept(group('B', 1).alerts, { ...OPTIONS, groupKey: 'b', maxQueue: 2 });
    const full = store.accept(group('C', 4).alerts, { ...OPTIONS, groupKey: 'c', maxQueue: 2 });
    expect(full).toEqual({
      accepted: 0,
      duplicates: 0,
      investigationId: undefined,
      created: false,
      resolvedUpdated: 0,
      queueFull: true,
    });
    expect(count('alerts')).toBe(2);
    expect(count('investigations')).toBe(2);
    // The same notification is accepted in full once a worker has taken a job.
    store.claimNext();
    expect(store.accept(group('C', 4).alerts, { ...OPTIONS, groupKey: 'c', maxQueue: 2 })).toMatchObject({
      accepted: 4,
      created: true,
    });
  });

  it('still accepts new alerts of an open group when the queue is full, since they start no investigation', () => {
    const { groupKey, alerts } = group('A', 3);
    store.accept(alerts.slice(0, 1), { ...OPTIONS, groupKey, maxQueue: 1 });
    expect(store.accept(alerts, { ...OPTIONS, groupKey, maxQueue: 1 })).toMatchObject({
      accepted: 2,
      queueFull: false,
      created: false,
    });
  });

  it('commits several notifications at once, each all or nothing, when accepted together', () => {
    store.accept(group('A', 1).alerts, { ...OPTIONS, groupKey: 'a', maxQueue: 2 });
    const broken = [
      makeAlert({ alertname: 'Broken', pod: 'ok' }),
      { ...makeAlert({ alertname: 'Broken' }), labels: undefined as unknown as Record<string, string> },
    ];
    const outcomes = store.acceptMany([
      { alerts: group('B', 2).alerts, options: { ...OPTIONS, groupKey: 'b', maxQueue: 2 } },
      { alerts: group('C', 1).alerts, options: { ...OPTIONS, groupKey: 'c', maxQueue: 2 } },
      { alerts: broken, options: { ...OPTIONS, groupKey: 'broken' } },
      { alerts: group('A', 3).alerts, options: { ...OPTIONS, groupKey: 'a', maxQueue: 2 } },
    ]);
    expect(outcomes[0]).toMatchObject({ accepted: 2, created: true });
    // B filled the queue within the same commit, so C is refused, and C alone.
    expect(outcomes[1]).toMatchObject({ queueFull: true, accepted: 0 });
    expect(outcomes[2]).toBeInstanceOf(Error);
    expect(outcomes[3]).toMatchObject({ accepted: 2, duplicates: 1, created: false });
    const alertnames = (
      db.prepare('SELECT alertname FROM alerts ORDER BY id').all() as Array<{ alertname: string }>
    ).map((row) => row.alertname);
    // Nothing of the broken notification stayed, not even its valid first alert.
    expect(alertnames).toEqual(['A', 'B', 'B', 'A', 'A']);
    expect(
      store
        .list()
        .map((row) => row.groupKey)
        .sort(),
    ).toEqual(['a', 'b']);
  });

  it('hands out queued investigations oldest first, each once, with their alerts', () => {
    const ids = ['A', 'B', 'C'].map(
      (name, index) =>
        store.accept(group(name, 1).alerts, {
          ...OPTIONS,
          groupKey: name,
          now: new Date(Date.UTC(2026, 10, 26, 6, index)),
        }).investigationId,
    );
    const claimed = [store.claimNext(), store.claimNext(), store.claimNext()];
    expect(claimed.map((job) => job?.id)).toEqual(ids);
    expect(claimed.map((job) => job?.attempts)).toEqual([1, 1, 1]);
    expect(claimed[1]!.alerts[0]!.labels.alertname).toBe('B');
    expect(store.claimNext()).toBeUndefined();
    expect(store.queueDepth()).toBe(0);
    expect(store.countsByState()).toEqual({ running: 3 });
  });

  it('stores the result of a running investigation once, and refuses one that is no longer running', () => {
    const { alerts } = group('A', 1);
    const { investigationId } = store.accept(alerts, OPTIONS);
    const job = store.claimNext()!;
    expect(store.finish(job.id, { ...resultFor(alerts), id: job.id })).toBe(true);
    expect(store.finish(job.id, resultFor(alerts, 'degraded'))).toBe(false);
    const row = store.get(investigationId!)!;
    expect(row).toMatchObject({
      state: 'completed',
      mode: 'deterministic',
      rootCause: 'crashloop-bad-config',
      error: null,
    });
    expect(row.result!.rootCause!.summary).toBe('about A (1 alerts)');
  });

  it('records the error when an investigation fails', () => {
    store.accept(group('A', 1).alerts, OPTIONS);
    const job = store.claimNext()!;
    store.fail(job.id, 'Prometheus unreachable');
    expect(store.get(job.id)).toMatchObject({ state: 'failed', error: 'Prometheus unreachable' });
    expect(store.get(job.id)!.finishedAt).not.toBeNull();
  });

  it('queues again what a crashed process left running, when reopened on the same file', () => {
    store.accept(group('A', 1).alerts, { ...OPTIONS, groupKey: 'a' });
    store.accept(group('B', 1).alerts, { ...OPTIONS, groupKey: 'b' });
    const running = store.claimNext()!;
    db.close(); // The process dies here: no finish, no requeue.
    db = openDatabase({ path: join(dir, 'holmes.db') });
    store = createInvestigationStore(db);
    expect(store.recover()).toBe(1);
    expect(store.countsByState()).toEqual({ queued: 2 });
    const again = store.claimNext()!;
    expect(again).toMatchObject({ id: running.id, attempts: 2 });
  });

  it('fails a job instead of retrying forever when it was interrupted three times', () => {
    store.accept(group('A', 1).alerts, OPTIONS);
    for (let crash = 1; crash <= 3; crash += 1) {
      store.claimNext();
      store.recover();
    }
    const [row] = store.list();
    expect(row).toMatchObject({ state: 'failed', attempts: 3 });
    expect(row!.error).toContain('interrupted 3 times');
  });

  it('gives the attempt back when a job is requeued at a graceful shutdown', () => {
    store.accept(group('A', 1).alerts, OPTIONS);
    const job = store.claimNext()!;
    store.requeue(job.id);
    expect(store.get(job.id)).toMatchObject({ state: 'queued', attempts: 0 });
    expect(store.claimNext()).toMatchObject({ id: job.id, attempts: 1 });
  });

  it('filters the list by state, alertname, team and since, newest first, within the limit', () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 6, minute));
    store.accept(group('A', 1, { team: 'search' }).alerts, { ...OPTIONS, groupKey: 'a', now: at(0) });
    store.accept(group('B', 1, { team: 'chat' }).alerts, { ...OPTIONS, groupKey: 'b', now: at(1) });
    store.accept(group('A', 1, { team: 'chat', pod: 'other' }).alerts, { ...OPTIONS, groupKey: 'a2', now: at(2) });
    const first = store.claimNext()!;
    store.finish(first.id, resultFor(first.alerts));
    const names = (filter: Parameters<InvestigationStore['list']>[0]) =>
      store.list(filter).map((row) => `${row.alertname}/${row.team}`);
    expect(names({})).toEqual(['A/chat', 'B/chat', 'A/search']);
    expect(names({ state: 'completed' })).toEqual(['A/search']);
    expect(names({ state: 'queued' })).toEqual(['A/chat', 'B/chat']);
    expect(names({ alertname: 'A' })).toEqual(['A/chat', 'A/search']);
    expect(names({ team: 'chat' })).toEqual(['A/chat', 'B/chat']);
    expect(names({ since: at(1).toISOString() })).toEqual(['A/chat', 'B/chat']);
    expect(names({ alertname: 'A', team: 'chat' })).toEqual(['A/chat']);
    expect(names({ limit: 1 })).toEqual(['A/chat']);
    expect(names({ alertname: "A' OR 1=1 --" })).toEqual([]);
  });

  it('takes the same instant written another way (offset, fraction) for the same alert', () => {
    const labels = { alertname: 'A', pod: 'p' };
    expect(store.accept([makeAlert(labels, { startsAt: '2026-11-26T06:00:00Z' })], OPTIONS)).toMatchObject({
      accepted: 1,
    });
    for (const startsAt of ['2026-11-26T07:00:00+01:00', '2026-11-26T06:00:00.000Z', '2026-11-26t01:00:00.0-05:00']) {
      expect(store.accept([makeAlert(labels, { startsAt })], OPTIONS), startsAt).toMatchObject({
        accepted: 0,
        duplicates: 1,
      });
    }
    // Nanoseconds, as Alertmanager writes them, still tell two starts apart.
    const later = makeAlert(labels, { startsAt: '2026-11-26T06:00:00.000000001Z' });
    expect(store.accept([later], OPTIONS)).toMatchObject({ accepted: 1 });
    expect(count('alerts')).toBe(2);
  });

  it('deduplicates a repeat of an alert sent without a start, and resolves it, while it fires', () => {
    const labels = { alertname: 'A', pod: 'p' };
    const noStart = (status: 'firing' | 'resolved', minute: number): Alert => ({
      ...makeAlert(labels, { status }),
      startsAt: new Date(Date.UTC(2026, 10, 26, 6, minute)).toISOString(),
      startsAtInferred: true,
    });
    expect(store.accept([noStart('firing', 0)], { ...OPTIONS, groupKey: 'api:1' })).toMatchObject({
      accepted: 1,
      created: true,
    });
    expect(store.accept([noStart('firing', 5)], { ...OPTIONS, groupKey: 'api:2' })).toMatchObject({
      accepted: 0,
      duplicates: 1,
      investigationId: undefined,
    });
    expect(store.accept([noStart('resolved', 9)], { ...OPTIONS, groupKey: 'api:3' })).toMatchObject({
      resolvedUpdated: 1,
    });
    // Resolved, it may fire again: a new alert.
    expect(store.accept([noStart('firing', 20)], { ...OPTIONS, groupKey: 'api:4' })).toMatchObject({
      accepted: 1,
      created: true,
    });
    expect(count('alerts')).toBe(2);
  });

  it('investigates an alert whose firing notification arrives after its resolution, and leaves the group closed', () => {
    const { groupKey, alerts } = group('Late', 1);
    const resolved = { ...alerts[0]!, status: 'resolved' as const, endsAt: '2026-11-26T07:00:00Z' };
    expect(store.accept([resolved], { ...OPTIONS, groupKey, groupStatus: 'resolved' })).toMatchObject({
      accepted: 1,
      created: false,
    });
    const late = store.accept(alerts, { ...OPTIONS, groupKey });
    expect(late).toMatchObject({ accepted: 1, duplicates: 0, created: true });
    const row = store.get(late.investigationId!)!;
    expect(row.resolvedAt).not.toBeNull();
    expect(row.alerts.map((alert) => alert.fingerprint)).toEqual([alerts[0]!.fingerprint]);
    expect(store.claimNext()?.id).toBe(late.investigationId);
    // A retry of that late notification is a duplicate: nothing more is queued.
    expect(store.accept(alerts, { ...OPTIONS, groupKey })).toMatchObject({
      accepted: 0,
      duplicates: 1,
      created: false,
    });
  });

  it('stores lone surrogates as U+FFFD and never a secret it knows, in raw columns and JSON alike', () => {
    rememberSecret('sk-test-4f8a1c2e9b');
    const alert = makeAlert({ alertname: 'A\ud800', namespace: 'ns', token: 'sk-test-4f8a1c2e9b' });
    const outcome = store.accept([alert], { ...OPTIONS, groupKey: 'g\udc00' });
    const row = db.prepare(`SELECT alertname, group_key AS groupKey, labels FROM alerts`).get() as Record<
      string,
      string
    >;
    expect(row.alertname).toBe('A\ufffd');
    expect(row.groupKey).toBe('g\ufffd');
    expect(row.labels).not.toContain('sk-test-4f8a1c2e9b');
    expect(row.labels).toContain('[redacted]');
    // Bytes as SQLite holds them: valid UTF-8.
    const bytes = db.prepare(`SELECT CAST(alertname AS BLOB) AS raw FROM alerts`).get() as { raw: Buffer };
    expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes.raw)).toBe('A\ufffd');
    const job = store.claimNext()!;
    store.finish(job.id, { ...resultFor(job.alerts), notChecked: ['401: key sk-test-4f8a1c2e9b refused'] });
    store.fail(outcome.investigationId!, 'provider said sk-test-4f8a1c2e9b');
    expect(JSON.stringify(store.get(outcome.investigationId!))).not.toContain('sk-test-4f8a1c2e9b');
  });
});
