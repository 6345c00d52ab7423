import type { RequestListener } from 'node:http';
import { webApi } from '@slack/bolt';
import { resolveSecret } from '../../config/secret.js';
import type { SlackConfig } from '../../config/slack-schema.js';
import type { Logger } from '../../core/logger.js';
import type { TicketCreator } from '../../core/ticket.js';
import type { ClaimedItem, DeliveryOutcome, Outbox } from '../../ledger/outbox.js';
import type { SlackStore } from '../../ledger/slack-store.js';
import { createAccessPolicy } from './access-policy.js';
import { boltLogger } from './bolt-logger.js';
import { createButtonActions } from './button-actions.js';
import { checkSlackAuth, type SlackIdentity } from './check-slack-auth.js';
import { createConversation } from './conversation.js';
import { createSlackApp } from './create-slack-app.js';
import { createAlertRouter } from './route-alert.js';
import { createSlackDelivery } from './slack-delivery.js';
import type { Ask, BudgetLookup, ProgressEvent, RenderGraphs, SlackInvestigations } from './slack-hooks.js';
import { createSlackNotifier } from './slack-notifier.js';
import { createSlashCommand } from './slash-command.js';

export interface SlackOptions {
  config: SlackConfig;
  logger: Logger;
  /** The persisted outbox every outgoing call goes through; `wake` tells its worker. */
  outbox: Outbox;
  wake: () => void;
  store: SlackStore;
  investigations: SlackInvestigations;
  budget: BudgetLookup;
  /** The agent's ask; without it questions get what Holmes can do without a model. */
  ask?: Ask | undefined;
  /** The Jira integration's hook: the "Create Jira ticket" button appears only with it. */
  ticketCreator?: TicketCreator | undefined;
  /** The evidence graphs (graphs integration): the first is uploaded into the thread. */
  renderGraphs?: RenderGraphs | undefined;
  env?: NodeJS.ProcessEnv;
}

export interface Slack {
  /** Who the bot is (auth.test at start), unless Slack could not be reached then. */
  identity: SlackIdentity | undefined;
  /** The outbox adapter: one Slack call per item. */
  deliver(item: ClaimedItem): Promise<DeliveryOutcome>;
  /** An investigation was created, finished or resolved: its message (and thread) follow. */
  refresh(investigationId: string): void;
  /** A step of an investigation's agent: its message says what it is doing. */
  progress(investigationId: string, event: ProgressEvent): void;
  /** HTTP mode: Bolt's listener for POST /slack/events; undefined in Socket Mode. */
  requestListener: RequestListener | undefined;
  /** Socket Mode: connects in the background (and reconnects); HTTP mode: nothing to do. */
  start(): void;
  stop(graceMs: number): Promise<void>;
}

/**
 * Holmes in Slack: investigations posted where the routes say and updated in place, answers to
 * mentions, direct messages, `/holmes` and the message's buttons, under the access policy.
 * Checks the bot token with auth.test; a wrong token is a config error, an outage is not.
 */
export async function createSlack(options: SlackOptions): Promise<Slack> {
  const { config, logger, store } = options;
  const credentials = {
    botToken: resolveSecret(config.botToken, 'slack.botToken', options.env),
    signingSecret: config.signingSecret && resolveSecret(config.signingSecret, 'slack.signingSecret', options.env),
    appToken: config.appToken && resolveSecret(config.appToken, 'slack.appToken', options.env),
  };
  const clientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    logger: boltLogger(logger),
    timeout: 15_000,
  };
  // Deliveries fail fast and let the outbox retry (it honours Retry-After and survives restarts).
  const client = new webApi.WebClient(credentials.botToken, {
    ...clientOptions,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  // Look-ups (user groups) may wait a little for Slack.
  const lookups = new webApi.WebClient(credentials.botToken, { ...clientOptions, retryConfig: { retries: 2 } });
  const auth = await checkSlackAuth(client);
  const identity = auth.ok ? auth.identity : undefined;
  if (auth.ok) logger.info({ team: identity!.team, bot: identity!.user }, 'slack: connected');
  else
    logger.warn(
      { error: auth.unreachable },
      'slack: auth.test failed; messages wait in the outbox until Slack answers',
    );

  const features = { llm: options.ask !== undefined, tickets: options.ticketCreator !== undefined };
  const notifier = createSlackNotifier({
    config,
    outbox: options.outbox,
    store,
    investigations: options.investigations,
    router: createAlertRouter(config),
    features,
    ticketCreator: options.ticketCreator,
    renderGraphs: options.renderGraphs,
    logger,
    wake: options.wake,
  });
  const policy = createAccessPolicy({
    policy: config.policy,
    groupMembers: async (group) => (await lookups.usergroups.users.list({ usergroup: group })).users ?? [],
    logger,
  });
  const conversation = createConversation({
    store,
    notifier,
    investigations: options.investigations,
    policy,
    ask: options.ask,
    budget: options.budget,
    logger,
    maxConcurrent: config.maxConcurrentAnswers,
    botUserId: () => identity?.botUserId,
  });
  const shared = { store, notifier, investigations: options.investigations, policy, budget: options.budget, logger };
  const app = createSlackApp({
    config,
    credentials,
    identity: identity ? { botUserId: identity.botUserId, botId: identity.botId } : undefined,
    store,
    logger,
    onMessage: conversation.handleMessage,
    onCommand: createSlashCommand({ ...shared, conversation }),
    onAction: createButtonActions({ ...shared, ticketCreator: options.ticketCreator, llm: features.llm }),
  });
  const deliver = createSlackDelivery({ client, store, outbox: options.outbox });
  let stopping = false;

  return {
    identity,
    deliver,
    refresh: notifier.refresh,
    progress: (id, event) => notifier.progress(id, event),
    requestListener: app.requestListener,
    start() {
      app
        .start()
        .then(() => config.mode === 'socket' && logger.info('slack: Socket Mode connected'))
        .catch((error: unknown) => {
          // Stopping while still connecting ends the attempt; that is no failure.
          if (!stopping)
            logger.error(
              { error: error instanceof Error ? error.message : String(error) },
              'slack: Socket Mode could not connect; check slack.appToken and that Slack is reachable',
            );
        });
    },
    stop: (graceMs) => {
      stopping = true;
      return app.stop(graceMs);
    },
  };
}
