import { webApi } from '@slack/bolt';
import type { ClaimedItem, DeliveryOutcome, Outbox } from '../../ledger/outbox.js';
import type { SlackStore } from '../../ledger/slack-store.js';
import type { Block } from './block-kit.js';

/** The outbox channel of every outgoing Slack call. */
export const SLACK_CHANNEL = 'slack';

/** A message Holmes owns: posted once, then updated in place (`key` names it in the store). */
export interface MessagePayload {
  key: string;
  channel: string;
  threadTs?: string | undefined;
  investigationId?: string | undefined;
  text: string;
  blocks: Block[];
}

/** A reply in the thread of one of Holmes's messages, posted once. */
export interface ReplyPayload {
  parent: string;
  text: string;
  blocks: Block[];
}

export interface EphemeralPayload {
  channel: string;
  user: string;
  threadTs?: string | undefined;
  text: string;
}

/** An answer through a slash command's or a button's response_url. */
export interface RespondPayload {
  url: string;
  body: { response_type?: 'in_channel' | 'ephemeral'; replace_original?: boolean; text: string; blocks?: Block[] };
}

/** A PNG for the thread of one of Holmes's messages (files.uploadV2). */
export interface FilePayload {
  parent: string;
  filename: string;
  title: string;
  altText: string;
  base64: string;
}

/** Platform errors that are Slack's trouble, not ours: try again later. */
const TRANSIENT = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** What a failed call means for the outbox: later (outage, 429 with its Retry-After) or never (our mistake). */
export function classifySlackError(error: unknown, method: string): DeliveryOutcome {
  const coded = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  switch (coded.code) {
    case webApi.ErrorCode.RateLimitedError:
      return { status: 'retry', error: `${method}: rate limited`, retryAfterMs: (coded.retryAfter ?? 1) * 1000 };
    case webApi.ErrorCode.HTTPError:
      return { status: 'retry', error: `${method}: HTTP ${coded.statusCode}` };
    case webApi.ErrorCode.RequestError:
      return { status: 'retry', error: `${method}: ${(error as Error).message}` };
    case webApi.ErrorCode.PlatformError: {
      const code = coded.data?.error ?? 'unknown_error';
      if (TRANSIENT.has(code)) return { status: 'retry', error: `${method}: ${code}` };
      return { status: 'failed', error: `${method}: ${code}${hintFor(code)}` };
    }
    default:
      return { status: 'retry', error: `${method}: ${(error as Error).message ?? String(error)}` };
  }
}

function hintFor(code: string): string {
  if (code === 'not_in_channel' || code === 'channel_not_found')
    return ' (invite the Holmes app to the channel: /invite @Holmes, or fix slack.routes / slack.defaultChannel)';
  if (code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked' || code === 'account_inactive')
    return ' (the bot token is wrong or revoked: reinstall the app and update slack.botToken)';
  if (code === 'missing_scope') return ' (the app lacks a scope: create it again from the manifest in the README)';
  return '';
}

/** Retry-After of a response_url answer, in ms. */
function retryAfterMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export interface SlackDeliveryOptions {
  client: InstanceType<typeof webApi.WebClient>;
  store: SlackStore;
  outbox: Outbox;
  fetch?: typeof fetch;
}

/**
 * Delivers one outbox item to Slack. Messages are idempotent by key: the first delivery posts and
 * records the ts, every later one updates that ts. Thread replies and files wait for their parent.
 */
export function createSlackDelivery(options: SlackDeliveryOptions) {
  const { client, store, outbox } = options;
  const request = options.fetch ?? fetch;

  /** The parent's ts, or why the item must wait or give up. */
  async function parentOf(key: string): Promise<{ channel: string; ts: string } | DeliveryOutcome> {
    const row = await store.message(key);
    if (row?.ts) return { channel: row.channel, ts: row.ts };
    if ((await outbox.get(SLACK_CHANNEL, `message:${key}`))?.state === 'failed')
      return { status: 'failed', error: `the message ${key} it belongs to could not be posted` };
    return { status: 'retry', error: `waiting for the message ${key} to be posted`, retryAfterMs: 1_000 };
  }

  /** One sender at a time per message, whatever replica: the first posts, the next updates what it posted. */
  function message(payload: MessagePayload): Promise<DeliveryOutcome> {
    return store.whileDelivering(payload.key, () => postOrUpdate(payload));
  }

  async function postOrUpdate(payload: MessagePayload): Promise<DeliveryOutcome> {
    const row = await store.planMessage(payload.key, payload);
    const content = { text: payload.text, blocks: payload.blocks };
    if (row.ts) {
      try {
        await client.chat.update({ channel: row.channel, ts: row.ts, ...content });
        return { status: 'delivered', result: { channel: row.channel, ts: row.ts } };
      } catch (error) {
        // Someone deleted the message: post it again rather than lose it.
        if ((error as { data?: { error?: string } }).data?.error === 'message_not_found') {
          await store.forgetTs(payload.key);
          return { status: 'retry', error: 'chat.update: message_not_found, posting it again', retryAfterMs: 0 };
        }
        return classifySlackError(error, 'chat.update');
      }
    }
    try {
      const response = await client.chat.postMessage({
        channel: row.channel,
        ...(row.threadTs ? { thread_ts: row.threadTs } : {}),
        ...content,
        unfurl_links: false,
        unfurl_media: false,
      });
      await store.setPosted(payload.key, response.channel ?? row.channel, response.ts!);
      return { status: 'delivered', result: { channel: response.channel, ts: response.ts } };
    } catch (error) {
      return classifySlackError(error, 'chat.postMessage');
    }
  }

  async function reply(payload: ReplyPayload): Promise<DeliveryOutcome> {
    const parent = await parentOf(payload.parent);
    if ('status' in parent) return parent;
    try {
      const response = await client.chat.postMessage({
        channel: parent.channel,
        thread_ts: parent.ts,
        text: payload.text,
        blocks: payload.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
      return { status: 'delivered', result: { ts: response.ts } };
    } catch (error) {
      return classifySlackError(error, 'chat.postMessage');
    }
  }

  async function file(payload: FilePayload): Promise<DeliveryOutcome> {
    const parent = await parentOf(payload.parent);
    if ('status' in parent) return parent;
    try {
      const response = await client.filesUploadV2({
        channel_id: parent.channel,
        thread_ts: parent.ts,
        file: Buffer.from(payload.base64, 'base64'),
        filename: payload.filename,
        title: payload.title,
        alt_text: payload.altText,
      });
      return { status: 'delivered', result: { files: response.files?.length ?? 0 } };
    } catch (error) {
      return classifySlackError(error, 'files.uploadV2');
    }
  }

  async function ephemeral(payload: EphemeralPayload): Promise<DeliveryOutcome> {
    try {
      await client.chat.postEphemeral({
        channel: payload.channel,
        user: payload.user,
        text: payload.text,
        ...(payload.threadTs ? { thread_ts: payload.threadTs } : {}),
      });
      return { status: 'delivered' };
    } catch (error) {
      return classifySlackError(error, 'chat.postEphemeral');
    }
  }

  async function respond(payload: RespondPayload): Promise<DeliveryOutcome> {
    let response: Response;
    try {
      response = await request(payload.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload.body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      return { status: 'retry', error: `response_url: ${(error as Error).message}` };
    }
    await response.body?.cancel();
    if (response.ok) return { status: 'delivered' };
    if (response.status === 429 || response.status >= 500) {
      const wait = retryAfterMs(response);
      return {
        status: 'retry',
        error: `response_url: HTTP ${response.status}`,
        ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      };
    }
    // 404: the response_url expired (30 minutes) or was used five times: nothing more can be sent there.
    return { status: 'failed', error: `response_url: HTTP ${response.status} (expired or used up)` };
  }

  return async function deliver(item: ClaimedItem): Promise<DeliveryOutcome> {
    switch (item.kind) {
      case 'message':
        return message(item.payload as MessagePayload);
      case 'reply':
        return reply(item.payload as ReplyPayload);
      case 'file':
        return file(item.payload as FilePayload);
      case 'ephemeral':
        return ephemeral(item.payload as EphemeralPayload);
      case 'respond':
        return respond(item.payload as RespondPayload);
      default:
        return { status: 'failed', error: `unknown Slack outbox kind '${item.kind}'` };
    }
  };
}
