import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { SLACK_CHANNEL } from '../../../src/integrations/slack/slack-delivery.js';
import { useThrowawayCluster } from '../../fixtures/throwaway-cluster.js';
import { until, untilLockWaits } from '../../fixtures/postgres-locks.js';
import { postgresSite } from '../../fixtures/store-site.js';
import { API, slackDeliveryContract, slackDeliveryOn, useSlackApiDouble } from './slack-delivery-contract.js';

describe('Slack delivery on PostgreSQL', () => {
  const cluster = useThrowawayCluster();
  slackDeliveryContract(() => postgresSite(cluster));

  describe('two replicas', () => {
    useSlackApiDouble();

    it("posts one root message when the first sender's lease runs out while Slack is still answering it", async () => {
      const site = postgresSite(cluster);
      const first = await slackDeliveryOn(site);
      const second = await slackDeliveryOn(site, first.place);
      const payload = { key: 'investigation:i1', channel: 'C1', investigationId: 'i1', text: 'hi', blocks: [] };
      await first.outbox.enqueue(SLACK_CHANNEL, 'message:investigation:i1', 'message', payload, { whenDone: 'resend' });

      // Slack holds its answer to the first post until the second replica is waiting to send.
      let answer!: () => void;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      const posts: unknown[] = [];
      nock(API)
        .post('/api/chat.postMessage')
        .reply((_uri, body, callback) => {
          posts.push(body);
          void answered.then(() => callback(null, [200, { ok: true, channel: 'C1', ts: '100.1' }]));
        });
      const updates: unknown[] = [];
      nock(API)
        .post('/api/chat.update')
        .reply(200, (_uri, body) => (updates.push(body), { ok: true, channel: 'C1', ts: '100.1' }));

      const [claimed] = await first.outbox.claim(SLACK_CHANNEL, 1, 50);
      const firstDelivery = first.deliver(claimed!);
      await until(() => posts.length === 1, 'the first post');
      // The first lease runs out: the other replica claims the item again, as its worker would.
      let reclaimed: Awaited<ReturnType<typeof second.outbox.claim>> = [];
      await until(async () => (reclaimed = await second.outbox.claim(SLACK_CHANNEL, 1, 60_000)).length === 1);
      expect(reclaimed[0]!.attempts).toBe(2);
      const secondDelivery = second.deliver(reclaimed[0]!);
      await untilLockWaits(first.place);
      answer();

      expect(await firstDelivery).toEqual({ status: 'delivered', result: { channel: 'C1', ts: '100.1' } });
      expect(await secondDelivery).toEqual({ status: 'delivered', result: { channel: 'C1', ts: '100.1' } });
      expect(posts).toHaveLength(1);
      expect(updates).toHaveLength(1);
      expect(await second.store.message('investigation:i1')).toMatchObject({ channel: 'C1', ts: '100.1' });
    });
  });
});
