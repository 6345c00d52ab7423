import type { SlackConfig } from '../../config/slack-schema.js';
import type { Logger } from '../../core/logger.js';
import type { TicketCreator } from '../../core/ticket.js';
import type { Outbox } from '../../ledger/outbox.js';
import type { SlackStore } from '../../ledger/slack-store.js';
import { describeStep } from './answer-message.js';
import { clip, context, fallbackText, LIMITS } from './block-kit.js';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { investigationMessage, type InvestigationView, type MessageFeatures } from './investigation-message.js';
import { reportMessages, type SlackMessage } from './report-messages.js';
import type { AlertRouter } from './route-alert.js';
import { silenceLink } from './silence-link.js';
import {
  SLACK_CHANNEL,
  type FilePayload,
  type MessagePayload,
  type ReplyPayload,
  type RespondPayload,
} from './slack-delivery.js';
import type { ProgressEvent, RenderGraphs, SlackInvestigations } from './slack-hooks.js';

export interface SlackNotifierOptions {
  config: Pick<SlackConfig, 'alertmanagerUrl' | 'silenceUrl'>;
  outbox: Outbox;
  store: SlackStore;
  investigations: SlackInvestigations;
  router: AlertRouter;
  features: MessageFeatures;
  ticketCreator?: TicketCreator | undefined;
  renderGraphs?: RenderGraphs | undefined;
  logger: Logger;
  /** Something was queued in the outbox: wake its worker. */
  wake: () => void;
}

/** Why the thread has no picture, as the report's NOT CHECKED would say it. */
function graphNote(notRendered: string[]): SlackMessage {
  const lines = notRendered.map((line) => `• ${escapeMrkdwn(line)}`);
  return {
    text: fallbackText(`Evidence graph not drawn: ${escapeMrkdwn(notRendered.join('; '))}`),
    blocks: [context([clip(`*Not checked*\n${lines.join('\n')}`, LIMITS.contextText)])],
  };
}

const FINISHED = new Set(['completed', 'degraded', 'budget-exceeded', 'failed']);

export const investigationKey = (id: string) => `investigation:${id}`;

/**
 * Turns the state of investigations into Slack messages waiting in the outbox: one message per
 * investigation (posted, then updated), its report and graph in the thread once it finishes, and
 * the result for whoever asked with a slash command. Nothing here calls Slack; the worker does.
 */
export function createSlackNotifier(options: SlackNotifierOptions) {
  const { outbox, store, logger } = options;
  const progress = new Map<string, string>();

  let chain: Promise<void> = Promise.resolve();
  /**
   * Store writes run in the order they were asked for, without making Slack's handlers wait; one
   * that fails is logged, never thrown at the handler (the next refresh writes it again).
   */
  function queued(work: () => Promise<unknown>): Promise<void> {
    chain = chain.then(work).then(
      () => undefined,
      (error: unknown) => logger.error({ error: (error as Error).message }, 'slack: could not queue the message'),
    );
    return chain;
  }

  function enqueue(key: string, kind: string, payload: unknown, whenDone: 'keep' | 'resend' = 'keep') {
    return queued(() => outbox.enqueue(SLACK_CHANNEL, key, kind, payload, { whenDone }));
  }

  /** Wakes the sender once what was asked for so far is in the outbox. */
  const wake = () => void chain.then(options.wake);

  /** A message of Holmes's own (`key` in the store), posted the first time and updated after. */
  function message(
    key: string,
    target: { channel: string; threadTs?: string | undefined; investigationId?: string | undefined },
    content: SlackMessage,
  ) {
    return queued(async () => {
      const planned = await store.planMessage(key, target);
      const payload: MessagePayload = { key, ...target, channel: planned.channel, ...content };
      await outbox.enqueue(SLACK_CHANNEL, `message:${key}`, 'message', payload, { whenDone: 'resend' });
    });
  }

  /** Replies in the thread of message `parent`, each posted once under `key`:n. */
  function replies(parent: string, key: string, messages: SlackMessage[]) {
    messages.forEach((content, index) => {
      const payload: ReplyPayload = { parent, ...content };
      enqueue(`${key}:${index}`, 'reply', payload);
    });
  }

  function respond(key: string, payload: RespondPayload) {
    enqueue(key, 'respond', payload);
  }

  async function refresh(id: string): Promise<void> {
    const record = await options.investigations.get(id);
    const alert = record?.result?.alert ?? record?.alerts[0];
    if (!record || !alert) return;
    const key = investigationKey(id);
    const channel = (await store.message(key))?.channel ?? options.router(alert.labels);
    const finished = FINISHED.has(record.state);
    if (finished) progress.delete(id);
    const view: InvestigationView = {
      id,
      state: record.state,
      alert,
      alertCount: record.alertCount,
      resolved: record.resolvedAt !== null || alert.status === 'resolved',
      result: record.result,
      error: record.error,
      progress: progress.get(id),
      ticket: await options.ticketCreator?.ticketFor(id),
      silenceUrl: silenceLink(options.config, alert.labels, `Silenced from Holmes investigation ${id.slice(0, 8)}`),
    };
    const rendered = investigationMessage(view, options.features);
    if (channel) message(key, { channel, investigationId: id }, rendered);
    else logger.debug({ investigation: id }, 'slack: no route and no default channel for this alert; not posted');
    if (finished) {
      // One report (and graph) per run: a re-run started at another time posts its own.
      const run = record.result?.timings.startedAt ?? 'failed';
      if (channel && record.result) {
        replies(key, `report:${id}:${run}`, reportMessages(record.result));
        if (options.renderGraphs) void uploadGraph(id, key, run, record.result);
      }
      // Whoever asked with /holmes investigate gets the result where they asked, routed or not.
      // After the messages above; each waiter is removed once its answer is queued.
      await queued(() =>
        store.takeWaiters(id, (waiter) =>
          outbox.enqueue(SLACK_CHANNEL, `respond:${waiter.responseUrl}`, 'respond', {
            url: waiter.responseUrl,
            body: { response_type: 'in_channel', text: rendered.text, blocks: rendered.blocks },
          } satisfies RespondPayload),
        ),
      );
    }
    wake();
  }

  /** The first evidence graph into the thread, after the report; or a line saying why there is none. */
  async function uploadGraph(id: string, key: string, run: string, result: NonNullable<InvestigationView['result']>) {
    try {
      const { images, notRendered } = await options.renderGraphs!(result);
      const [image] = images;
      if (image) {
        const payload: FilePayload = {
          parent: key,
          filename: `holmes-${id.slice(0, 8)}-evidence.png`,
          title: `Evidence: ${image.title}`,
          altText: `${image.title} (evidence graph of investigation ${id.slice(0, 8)})`,
          base64: image.png.toString('base64'),
        };
        enqueue(`graph:${id}:${run}`, 'file', payload);
      }
      for (const line of notRendered) logger.warn({ investigation: id }, `slack: ${line}`);
      if (notRendered.length > 0) replies(key, `graph-note:${id}:${run}`, [graphNote(notRendered)]);
      if (image || notRendered.length > 0) wake();
    } catch (error) {
      logger.warn({ investigation: id, error: (error as Error).message }, 'slack: could not render the evidence graph');
    }
  }

  return {
    async refresh(id: string): Promise<void> {
      try {
        await refresh(id);
      } catch (error) {
        // Delivery must never break the investigation that triggered it.
        logger.error({ investigation: id, error: (error as Error).message }, 'slack: could not queue the message');
      }
    },
    /** The agent's step: the investigation's message says what it is doing (coalesced in the outbox). */
    progress(id: string, event: ProgressEvent): void {
      const doing = describeStep(event.kind, event.data);
      if (!doing || progress.get(id) === doing) return;
      progress.set(id, doing);
      void this.refresh(id);
    },
    message,
    replies,
    respond,
    ephemeral(key: string, payload: { channel: string; user: string; threadTs?: string | undefined; text: string }) {
      void enqueue(key, 'ephemeral', payload);
      wake();
    },
    wake,
  };
}

export type SlackNotifier = ReturnType<typeof createSlackNotifier>;
