import type { RequestListener } from 'node:http';
import {
  App,
  HTTPReceiver,
  SocketModeReceiver,
  type BlockAction,
  type ButtonAction,
  type SlashCommand,
} from '@slack/bolt';
import type { SlackConfig } from '../../config/slack-schema.js';
import type { Logger } from '../../core/logger.js';
import type { SlackStore } from '../../ledger/slack-store.js';
import { boltLogger } from './bolt-logger.js';
import type { IncomingMessage } from './conversation.js';
import { ACTIONS } from './investigation-message.js';
import type { CommandAck } from './slash-command.js';

export const EVENTS_PATH = '/slack/events';

export interface SlackAppOptions {
  config: SlackConfig;
  credentials: { botToken: string; signingSecret?: string | undefined; appToken?: string | undefined };
  /** From auth.test at start; unknown when Slack did not answer (Bolt then asks on each event). */
  identity: { botUserId: string; botId: string } | undefined;
  store: SlackStore;
  logger: Logger;
  onMessage: (message: IncomingMessage) => Promise<void>;
  onCommand: (command: SlashCommand, ack: CommandAck) => Promise<void>;
  onAction: (body: BlockAction, action: ButtonAction) => Promise<void>;
}

export interface SlackApp {
  /** HTTP mode: Bolt's receiver for POST /slack/events (signature, timestamp, url_verification, ack). */
  requestListener: RequestListener | undefined;
  /** Socket Mode: dials out (apps.connections.open, then the WebSocket); resolves once connected. */
  start(): Promise<void>;
  /** Stops receiving and waits for the work already acknowledged. */
  stop(graceMs: number): Promise<void>;
}

/**
 * The Bolt app: one receiver (HTTP with the signing secret, or Socket Mode with the app token),
 * and listeners that acknowledge at once and leave the work to run on. A retried event (Slack
 * redelivers after 3 s, or after a restart) finds its id in the store and is dropped.
 */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { config, credentials, store, logger } = options;
  const log = boltLogger(logger);
  const slackApiUrl = config.apiUrl;
  const clientOptions = slackApiUrl ? { slackApiUrl } : {};
  const receiver =
    config.mode === 'http'
      ? new HTTPReceiver({
          signingSecret: credentials.signingSecret!,
          endpoints: EVENTS_PATH,
          logger: log,
          // Respond when ack() is called; the listener goes on after the response.
          processBeforeResponse: false,
        })
      : new SocketModeReceiver({
          appToken: credentials.appToken!,
          logger: log,
          // The Socket Mode client's own Web API client (apps.connections.open) takes the same base URL.
          installerOptions: { clientOptions },
        });
  const app = new App({
    token: credentials.botToken,
    receiver,
    ...(config.mode === 'socket' ? { socketMode: true } : {}),
    ...(options.identity ? { botUserId: options.identity.botUserId, botId: options.identity.botId } : {}),
    // auth.test ran at start already (or Slack was down: then Bolt asks when an event comes).
    tokenVerificationEnabled: false,
    clientOptions,
    logger: log,
  });

  const running = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    const tracked = work
      .catch((error: unknown) => logger.error({ error: (error as Error).message }, 'slack: handling a request failed'))
      .finally(() => running.delete(tracked));
    running.add(tracked);
  };
  /** A message to Holmes, once per event id (Slack redelivers an event it thinks was missed). */
  const received = (
    eventId: string,
    event: {
      user?: string | undefined;
      channel: string;
      text?: string | undefined;
      ts: string;
      thread_ts?: string | undefined;
    },
    direct: boolean,
  ) => {
    if (!event.user) return;
    const user = event.user;
    // Slack is acknowledged at once; the event is claimed (once, across restarts and replicas) just after.
    track(
      (async () => {
        if (!(await store.claimEvent(`event:${eventId}`))) return;
        const message = { user, channel: event.channel, text: event.text ?? '', ts: event.ts };
        await options.onMessage({ eventKey: eventId, ...message, threadTs: event.thread_ts, direct });
      })(),
    );
  };

  app.event('app_mention', async ({ event, body }) => received(body.event_id, event, false));

  app.event('message', async ({ event, body }) => {
    // Direct messages only, written by a person (no edits, joins or bot posts).
    if (event.channel_type !== 'im' || event.subtype !== undefined || 'bot_id' in event) return;
    received(body.event_id, event, true);
  });

  app.command('/holmes', async ({ command, ack }) => {
    track(options.onCommand(command, (response) => ack(response)));
  });

  app.action(ACTIONS.link, async ({ ack }) => ack());
  app.action<BlockAction<ButtonAction>>(
    /^holmes_(investigate_llm|create_ticket|show_evidence)$/,
    async ({ ack, body, action }) => {
      await ack();
      track(options.onAction(body, action));
    },
  );

  app.error(async (error) => {
    logger.error({ error: error.message, code: (error as { code?: string }).code }, 'slack: Bolt reported an error');
  });

  return {
    requestListener: receiver instanceof HTTPReceiver ? receiver.requestListener : undefined,
    async start() {
      if (config.mode === 'socket') await app.start();
    },
    async stop(graceMs) {
      if (config.mode === 'socket') await app.stop();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([Promise.all([...running]), grace]);
    },
  };
}
