import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { Alert } from '../../src/core/alert.js';
import { rememberSecret } from '../../src/core/redact-secrets.js';
import type { AcceptOptions, InvestigationStore } from '../../src/ledger/investigation-types.js';
import { group, makeAlert, resultFor } from '../server/fixtures/webhook.js';
import type { StoreBackend, StoreHandle } from './store-backends.js';

export const OPTIONS: AcceptOptions = {
  groupKey: 'g',
  groupStatus: 'firing',
  source: 'webhook',
  maxQueue: 100,
  maxAlertsPerGroup: 20,
};

const OWNER = 'replica-a';
export const LEASE = { owner: OWNER, ms: 30_000 };
/** A moment past every lease taken now. */
const AFTER_LEASE = () => new Date(Date.now() + 60_000);

/** What every investigation store promises, whichever database keeps it. */
export function investigationStoreContract(backend: () => StoreBackend) {
  let handle: StoreHandle;
  let store: InvestigationStore;

  const count = async (table: 'alerts' | 'investigations') =>
    (await handle.rows<{ count: number }>(`SELECT count(*) AS count FROM ${table}`))[0]!.count;

  describe('investigation store', () => {
    beforeEach(async () => {
      handle = await backend().open();
      store = handle.investigations();
    });
    afterEach(async () => {
      await handle.close();
    });

    it('persists the alerts and queues one investigation when a group fires for the first time', async () => {
      const { groupKey, alerts } = group('KubePodCrashLooping', 3);
      const outcome = await store.accept(alerts, { ...OPTIONS, groupKey });
      expect(outcome).toMatchObject({ accepted: 3, duplicates: 0, created: true, queueFull: false });
      expect(await count('alerts')).toBe(3);
      const row = await store.get(outcome.investigationId!);
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

    it('counts duplicates and starts nothing when the same alerts arrive again (repeat, retry or HA peer)', async () => {
      const { groupKey, alerts } = group('KubePodCrashLooping', 2);
      const first = await store.accept(alerts, { ...OPTIONS, groupKey });
      const again = await store.accept(alerts, { ...OPTIONS, groupKey });
      // An HA peer's notification carries the same alerts (fingerprint + startsAt) under the same group.
      const peer = await store.accept(
        alerts.map((alert) => ({ ...alert, annotations: { summary: 'from the peer' } })),
        { ...OPTIONS, groupKey },
      );
      expect(again).toMatchObject({
        accepted: 0,
        duplicates: 2,
        created: false,
        investigationId: first.investigationId,
      });
      expect(peer).toMatchObject({
        accepted: 0,
        duplicates: 2,
        created: false,
        investigationId: first.investigationId,
      });
      expect(await count('alerts')).toBe(2);
      expect(await count('investigations')).toBe(1);
    });

    it('deduplicates on fingerprint + startsAt even when the group key differs', async () => {
      const alert = makeAlert({ alertname: 'X', pod: 'a' });
      await store.accept([alert], { ...OPTIONS, groupKey: 'route-1' });
      const other = await store.accept([alert], { ...OPTIONS, groupKey: 'route-2' });
      expect(other).toMatchObject({ accepted: 0, duplicates: 1, created: false, investigationId: undefined });
      expect(await count('investigations')).toBe(1);
    });

    it('joins new alerts of a firing group to its open investigation instead of starting another', async () => {
      const { groupKey, alerts } = group('HighLatency', 3);
      const first = await store.accept(alerts.slice(0, 1), { ...OPTIONS, groupKey });
      const later = await store.accept(alerts, { ...OPTIONS, groupKey });
      expect(later).toMatchObject({
        accepted: 2,
        duplicates: 1,
        created: false,
        investigationId: first.investigationId,
      });
      expect((await store.get(first.investigationId!))!.alertCount).toBe(3);
    });

    it('considers at most maxAlertsPerGroup alerts of a group, across notifications, while keeping every alert', async () => {
      const { groupKey, alerts } = group('HighLatency', 8);
      const first = await store.accept(alerts.slice(0, 5), { ...OPTIONS, groupKey, maxAlertsPerGroup: 3 });
      await store.accept(alerts, { ...OPTIONS, groupKey, maxAlertsPerGroup: 3 });
      expect(await count('alerts')).toBe(8);
      expect(await store.get(first.investigationId!)).toMatchObject({ alertCount: 3 });
      expect((await store.claimNext(LEASE))!.alerts).toHaveLength(3);
    });

    it('marks the same investigation resolved and starts nothing when the group resolves', async () => {
      const { groupKey, alerts } = group('KubePodCrashLooping', 2);
      const fired = await store.accept(alerts, { ...OPTIONS, groupKey });
      const resolved = alerts.map((alert) => ({
        ...alert,
        status: 'resolved' as const,
        endsAt: '2026-11-26T07:00:00Z',
      }));
      const outcome = await store.accept(resolved, {
        ...OPTIONS,
        groupKey,
        groupStatus: 'resolved',
        now: new Date('2026-11-26T07:00:05Z'),
      });
      expect(outcome).toMatchObject({ created: false, investigationId: fired.investigationId, resolvedUpdated: 3 });
      expect(await store.get(fired.investigationId!)).toMatchObject({
        resolvedAt: '2026-11-26T07:00:05.000Z',
        state: 'queued',
      });
      expect((await store.get(fired.investigationId!))!.alerts.every((alert) => alert.status === 'resolved')).toBe(
        true,
      );
      // The resolution repeated (retry, HA peer) changes nothing more.
      expect(await store.accept(resolved, { ...OPTIONS, groupKey, groupStatus: 'resolved' })).toMatchObject({
        duplicates: 2,
        resolvedUpdated: 0,
        created: false,
      });
      expect(await count('investigations')).toBe(1);
    });

    it('starts a new investigation when a resolved group fires again with a new startsAt', async () => {
      const alert = makeAlert({ alertname: 'X', pod: 'a' });
      const first = await store.accept([alert], OPTIONS);
      await store.accept([{ ...alert, status: 'resolved' }], { ...OPTIONS, groupStatus: 'resolved' });
      const again = await store.accept([{ ...alert, startsAt: '2026-11-26T09:00:00Z' }], OPTIONS);
      expect(again.created).toBe(true);
      expect(again.investigationId).not.toBe(first.investigationId);
    });

    it('records a resolution it never saw firing without starting an investigation', async () => {
      const outcome = await store.accept([makeAlert({ alertname: 'X' }, { status: 'resolved' })], {
        ...OPTIONS,
        groupStatus: 'resolved',
      });
      expect(outcome).toMatchObject({ accepted: 1, created: false, investigationId: undefined });
      expect(await count('investigations')).toBe(0);
    });

    it('writes nothing and reports queueFull when a new group arrives with maxQueue investigations waiting', async () => {
      await store.accept(group('A', 1).alerts, { ...OPTIONS, groupKey: 'a', maxQueue: 2 });
      await store.accept(group('B', 1).alerts, { ...OPTIONS, groupKey: 'b', maxQueue: 2 });
      const full = await store.accept(group('C', 4).alerts, { ...OPTIONS, groupKey: 'c', maxQueue: 2 });
      expect(full).toEqual({
        accepted: 0,
        duplicates: 0,
        investigationId: undefined,
        created: false,
        resolvedUpdated: 0,
        queueFull: true,
      });
      expect(await count('alerts')).toBe(2);
      expect(await count('investigations')).toBe(2);
      // The same notification is accepted in full once a worker has taken a job.
      await store.claimNext(LEASE);
      expect(await store.accept(group('C', 4).alerts, { ...OPTIONS, groupKey: 'c', maxQueue: 2 })).toMatchObject({
        accepted: 4,
        created: true,
      });
    });

    it('still accepts new alerts of an open group when the queue is full, since they start no investigation', async () => {
      const { groupKey, alerts } = group('A', 3);
      await store.accept(alerts.slice(0, 1), { ...OPTIONS, groupKey, maxQueue: 1 });
      expect(await store.accept(alerts, { ...OPTIONS, groupKey, maxQueue: 1 })).toMatchObject({
        accepted: 2,
        queueFull: false,
        created: false,
      });
    });

    it('commits several notifications at once, each all or nothing, when accepted together', async () => {
      await store.accept(group('A', 1).alerts, { ...OPTIONS, groupKey: 'a', maxQueue: 2 });
      const broken = [
        makeAlert({ alertname: 'Broken', pod: 'ok' }),
        { ...makeAlert({ alertname: 'Broken' }), labels: undefined as unknown as Record<string, string> },
      ];
      const outcomes = await store.acceptMany([
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
      const alertnames = (await handle.rows<{ alertname: string }>('SELECT alertname FROM alerts ORDER BY id')).map(
        (row) => row.alertname,
      );
      // Nothing of the broken notification stayed, not even its valid first alert.
      expect(alertnames).toEqual(['A', 'B', 'B', 'A', 'A']);
      expect((await store.list()).map((row) => row.groupKey).sort()).toEqual(['a', 'b']);
    });

    it('hands out queued investigations oldest first, each once, with their alerts', async () => {
      const ids: Array<string | undefined> = [];
      for (const [index, name] of ['A', 'B', 'C'].entries()) {
        const outcome = await store.accept(group(name, 1).alerts, {
          ...OPTIONS,
          groupKey: name,
          now: new Date(Date.UTC(2026, 10, 26, 6, index)),
        });
        ids.push(outcome.investigationId);
      }
      const claimed = [await store.claimNext(LEASE), await store.claimNext(LEASE), await store.claimNext(LEASE)];
      expect(claimed.map((job) => job?.id)).toEqual(ids);
      expect(claimed.map((job) => job?.attempts)).toEqual([1, 1, 1]);
      expect(claimed[1]!.alerts[0]!.labels.alertname).toBe('B');
      expect(await store.claimNext(LEASE)).toBeUndefined();
      expect(await store.queueDepth()).toBe(0);
      expect(await store.countsByState()).toEqual({ running: 3 });
    });

    it('stores the result of a running investigation once, and refuses one that is no longer running', async () => {
      const { alerts } = group('A', 1);
      const { investigationId } = await store.accept(alerts, OPTIONS);
      const job = (await store.claimNext(LEASE))!;
      expect(await store.finish(job.id, { ...resultFor(alerts), id: job.id }, OWNER)).toBe(true);
      expect(await store.finish(job.id, resultFor(alerts, 'degraded'), OWNER)).toBe(false);
      const row = (await store.get(investigationId!))!;
      expect(row).toMatchObject({
        state: 'completed',
        mode: 'deterministic',
        rootCause: 'crashloop-bad-config',
        error: null,
      });
      expect(row.result!.rootCause!.summary).toBe('about A (1 alerts)');
    });

    it('records the error when an investigation fails', async () => {
      await store.accept(group('A', 1).alerts, OPTIONS);
      const job = (await store.claimNext(LEASE))!;
      await store.fail(job.id, 'Prometheus unreachable', OWNER);
      expect(await store.get(job.id)).toMatchObject({ state: 'failed', error: 'Prometheus unreachable' });
      expect((await store.get(job.id))!.finishedAt).not.toBeNull();
    });

    it('queues again what a crashed process left running, when reopened on the same file', async () => {
      await store.accept(group('A', 1).alerts, { ...OPTIONS, groupKey: 'a' });
      await store.accept(group('B', 1).alerts, { ...OPTIONS, groupKey: 'b' });
      const running = (await store.claimNext(LEASE))!;
      await handle.reopen(); // The process dies here: no finish, no requeue.
      store = handle.investigations();
      // Once its lease has run out (on SQLite, at once: one process owns the file).
      expect(await store.recover(AFTER_LEASE())).toBe(1);
      expect(await store.countsByState()).toEqual({ queued: 2 });
      const again = (await store.claimNext(LEASE))!;
      expect(again).toMatchObject({ id: running.id, attempts: 2 });
    });

    it('fails a job instead of retrying forever when it was interrupted three times', async () => {
      await store.accept(group('A', 1).alerts, OPTIONS);
      for (let crash = 1; crash <= 3; crash += 1) {
        await store.claimNext(LEASE);
        await store.recover(AFTER_LEASE());
      }
      const [row] = await store.list();
      expect(row).toMatchObject({ state: 'failed', attempts: 3 });
      expect(row!.error).toContain('interrupted 3 times');
    });

    it('gives the attempt back when a job is requeued at a graceful shutdown', async () => {
      await store.accept(group('A', 1).alerts, OPTIONS);
      const job = (await store.claimNext(LEASE))!;
      await store.requeue(job.id, OWNER);
      expect(await store.get(job.id)).toMatchObject({ state: 'queued', attempts: 0 });
      expect(await store.claimNext(LEASE)).toMatchObject({ id: job.id, attempts: 1 });
    });

    it('filters the list by state, alertname, team and since, newest first, within the limit', async () => {
      const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 6, minute));
      await store.accept(group('A', 1, { team: 'search' }).alerts, { ...OPTIONS, groupKey: 'a', now: at(0) });
      await store.accept(group('B', 1, { team: 'chat' }).alerts, { ...OPTIONS, groupKey: 'b', now: at(1) });
      await store.accept(group('A', 1, { team: 'chat', pod: 'other' }).alerts, {
        ...OPTIONS,
        groupKey: 'a2',
        now: at(2),
      });
      const first = (await store.claimNext(LEASE))!;
      await store.finish(first.id, resultFor(first.alerts), OWNER);
      const names = async (filter: Parameters<InvestigationStore['list']>[0]) =>
        (await store.list(filter)).map((row) => `${row.alertname}/${row.team}`);
      expect(await names({})).toEqual(['A/chat', 'B/chat', 'A/search']);
      expect(await names({ state: 'completed' })).toEqual(['A/search']);
      expect(await names({ state: 'queued' })).toEqual(['A/chat', 'B/chat']);
      expect(await names({ alertname: 'A' })).toEqual(['A/chat', 'A/search']);
      expect(await names({ team: 'chat' })).toEqual(['A/chat', 'B/chat']);
      expect(await names({ since: at(1).toISOString() })).toEqual(['A/chat', 'B/chat']);
      expect(await names({ alertname: 'A', team: 'chat' })).toEqual(['A/chat']);
      expect(await names({ limit: 1 })).toEqual(['A/chat']);
      expect(await names({ alertname: "A' OR 1=1 --" })).toEqual([]);
    });

    it('takes the same instant written another way (offset, fraction) for the same alert', async () => {
      const labels = { alertname: 'A', pod: 'p' };
      expect(await store.accept([makeAlert(labels, { startsAt: '2026-11-26T06:00:00Z' })], OPTIONS)).toMatchObject({
        accepted: 1,
      });
      for (const startsAt of ['2026-11-26T07:00:00+01:00', '2026-11-26T06:00:00.000Z', '2026-11-26t01:00:00.0-05:00']) {
        expect(await store.accept([makeAlert(labels, { startsAt })], OPTIONS), startsAt).toMatchObject({
          accepted: 0,
          duplicates: 1,
        });
      }
      // Nanoseconds, as Alertmanager writes them, still tell two starts apart.
      const later = makeAlert(labels, { startsAt: '2026-11-26T06:00:00.000000001Z' });
      expect(await store.accept([later], OPTIONS)).toMatchObject({ accepted: 1 });
      expect(await count('alerts')).toBe(2);
    });

    it('deduplicates a repeat of an alert sent without a start, and resolves it, while it fires', async () => {
      const labels = { alertname: 'A', pod: 'p' };
      const noStart = (status: 'firing' | 'resolved', minute: number): Alert => ({
        ...makeAlert(labels, { status }),
        startsAt: new Date(Date.UTC(2026, 10, 26, 6, minute)).toISOString(),
        startsAtInferred: true,
      });
      expect(await store.accept([noStart('firing', 0)], { ...OPTIONS, groupKey: 'api:1' })).toMatchObject({
        accepted: 1,
        created: true,
      });
      expect(await store.accept([noStart('firing', 5)], { ...OPTIONS, groupKey: 'api:2' })).toMatchObject({
        accepted: 0,
        duplicates: 1,
        investigationId: undefined,
      });
      expect(await store.accept([noStart('resolved', 9)], { ...OPTIONS, groupKey: 'api:3' })).toMatchObject({
        resolvedUpdated: 1,
      });
      // Resolved, it may fire again: a new alert.
      expect(await store.accept([noStart('firing', 20)], { ...OPTIONS, groupKey: 'api:4' })).toMatchObject({
        accepted: 1,
        created: true,
      });
      expect(await count('alerts')).toBe(2);
    });

    it('investigates an alert whose firing notification arrives after its resolution, and leaves the group closed', async () => {
      const { groupKey, alerts } = group('Late', 1);
      const resolved = { ...alerts[0]!, status: 'resolved' as const, endsAt: '2026-11-26T07:00:00Z' };
      expect(await store.accept([resolved], { ...OPTIONS, groupKey, groupStatus: 'resolved' })).toMatchObject({
        accepted: 1,
        created: false,
      });
      const late = await store.accept(alerts, { ...OPTIONS, groupKey });
      expect(late).toMatchObject({ accepted: 1, duplicates: 0, created: true });
      const row = (await store.get(late.investigationId!))!;
      expect(row.resolvedAt).not.toBeNull();
      expect(row.alerts.map((alert) => alert.fingerprint)).toEqual([alerts[0]!.fingerprint]);
      expect((await store.claimNext(LEASE))?.id).toBe(late.investigationId);
      // A retry of that late notification is a duplicate: nothing more is queued.
      expect(await store.accept(alerts, { ...OPTIONS, groupKey })).toMatchObject({
        accepted: 0,
        duplicates: 1,
        created: false,
      });
    });

    it('stores lone surrogates as U+FFFD and never a secret it knows, in raw columns and JSON alike', async () => {
      rememberSecret('sk-test-4f8a1c2e9b');
      const alert = makeAlert({ alertname: 'A\ud800', namespace: 'ns', token: 'sk-test-4f8a1c2e9b' });
      const outcome = await store.accept([alert], { ...OPTIONS, groupKey: 'g\udc00' });
      const [row] = await handle.rows<Record<string, string>>(`SELECT alertname, group_key, labels FROM alerts`);
      expect(row!.alertname).toBe('A\ufffd');
      expect(row!.group_key).toBe('g\ufffd');
      expect(row!.labels).not.toContain('sk-test-4f8a1c2e9b');
      expect(row!.labels).toContain('[redacted]');
      const job = (await store.claimNext(LEASE))!;
      await store.finish(
        job.id,
        { ...resultFor(job.alerts), notChecked: ['401: key sk-test-4f8a1c2e9b refused'] },
        OWNER,
      );
      await store.fail(outcome.investigationId!, 'provider said sk-test-4f8a1c2e9b', OWNER);
      expect(JSON.stringify(await store.get(outcome.investigationId!))).not.toContain('sk-test-4f8a1c2e9b');
    });
  });
}
