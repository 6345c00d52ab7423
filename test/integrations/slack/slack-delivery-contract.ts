import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import type { Store } from '../../../src/ledger/open-store.js';
import type { Outbox } from '../../../src/ledger/outbox.js';
import { createSlackDelivery, SLACK_CHANNEL } from '../../../src/integrations/slack/slack-delivery.js';
import type { StoreSite } from '../../fixtures/store-site.js';

export const API = 'http://slack.test';
const opened: Array<{ site: StoreSite; place: string; store: Store }> = [];

/** A Slack delivery on a store of `site` (a new place, or `place`: another replica of it). */
export async function slackDeliveryOn(site: StoreSite, place?: string) {
  const where = place ?? (await site.create());
  const store = await site.open(where);
  opened.push({ site, place: where, store });
  const client = new webApi.WebClient('xoxb-test', {
    slackApiUrl: `${API}/api/`,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  return {
    place: where,
    store: store.slack,
    outbox: store.outbox,
    deliver: createSlackDelivery({ client, store: store.slack, outbox: store.outbox }),
  };
}

/** Closes every store opened above and removes their places. */
export async function closeSlackDeliveries() {
  for (const { site, place, store } of opened.splice(0).reverse()) {
    await store.close();
    await site.remove(place);
  }
}

/** Queues a message and claims it, as the worker does. */
export async function claimMessage(outbox: Outbox, key = 'investigation:i1') {
  await outbox.enqueue(
    SLACK_CHANNEL,
    `message:${key}`,
    'message',
    { key, channel: 'C1', text: 'hi', blocks: [] },
    { whenDone: 'resend' },
  );
  return (await outbox.claim(SLACK_CHANNEL, 1, 60_000))[0]!;
}

/** Within a describe: Slack's API answered by nock (the store's PostgreSQL on loopback still reachable), stores closed after each test. */
export function useSlackApiDouble() {
  beforeEach(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await closeSlackDeliveries();
  });
}

/** What Slack delivery does, whichever store keeps its messages and outbox. */
export function slackDeliveryContract(storeSite: () => StoreSite) {
  const setUp = () => slackDeliveryOn(storeSite());
  describe(`createSlackDelivery (${storeSite().name})`, () => {
    useSlackApiDouble();

    it("waits as long as a 429's Retry-After says", async () => {
      const { outbox, deliver } = await setUp();
      nock(API).post('/api/chat.postMessage').reply(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '7' });
      expect(await deliver(await claimMessage(outbox))).toEqual({
        status: 'retry',
        error: 'chat.postMessage: rate limited',
        retryAfterMs: 7_000,
      });
    });

    it('retries a 5xx, and gives up on a channel it cannot post to, saying how to fix it', async () => {
      const { outbox, deliver } = await setUp();
      nock(API).post('/api/chat.postMessage').reply(502, 'Bad Gateway');
      const item = await claimMessage(outbox);
      expect(await deliver(item)).toMatchObject({ status: 'retry', error: 'chat.postMessage: HTTP 502' });
      await outbox.retry(item, 'HTTP 502', 0);
      nock(API).post('/api/chat.postMessage').reply(200, { ok: false, error: 'not_in_channel' });
      expect(await deliver(await claimMessage(outbox))).toEqual({
        status: 'failed',
        error:
          'chat.postMessage: not_in_channel (invite the Holmes app to the channel: /invite @Holmes, or fix slack.routes / slack.defaultChannel)',
      });
    });

    it('posts a message anew when the one it would update was deleted', async () => {
      const { store, outbox, deliver } = await setUp();
      await store.planMessage('investigation:i1', { channel: 'C1' });
      await store.setPosted('investigation:i1', 'C1', '100.1');
      nock(API).post('/api/chat.update').reply(200, { ok: false, error: 'message_not_found' });
      const item = await claimMessage(outbox);
      expect(await deliver(item)).toMatchObject({ status: 'retry', retryAfterMs: 0 });
      await outbox.retry(item, 'message_not_found', 0);
      nock(API).post('/api/chat.postMessage').reply(200, { ok: true, channel: 'C1', ts: '200.2' });
      expect(await deliver(await claimMessage(outbox))).toMatchObject({ status: 'delivered' });
      expect((await store.message('investigation:i1'))!.ts).toBe('200.2');
    });

    it('holds a thread reply until its message is posted, and fails it if the message never can be', async () => {
      const { outbox, deliver } = await setUp();
      await outbox.enqueue(SLACK_CHANNEL, 'report:i1:0', 'reply', {
        parent: 'investigation:i1',
        text: 'r',
        blocks: [],
      });
      const [reply] = await outbox.claim(SLACK_CHANNEL, 1, 60_000);
      expect(await deliver(reply!)).toMatchObject({
        status: 'retry',
        error: 'waiting for the message investigation:i1 to be posted',
      });
      const message = await claimMessage(outbox);
      await outbox.fail(message, 'chat.postMessage: channel_not_found');
      expect(await deliver(reply!)).toMatchObject({ status: 'failed' });
    });
  });
}
