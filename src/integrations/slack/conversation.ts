import pLimit from 'p-limit';
import { answerText as plainAnswer } from '../../agent/agent-result.js';
import type { InvestigationResult } from '../../core/investigation.js';
import type { Logger } from '../../core/logger.js';
import type { SlackStore } from '../../ledger/slack-store.js';
import type { AccessPolicy } from './access-policy.js';
import { answerMessage, answerText, describeStep, progressMessage } from './answer-message.js';
import { fallbackText, fitBlocks, section, sections } from './block-kit.js';
import { overBudgetText } from './budget-text.js';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { recordContext } from './record-context.js';
import { textMessages, type SlackMessage } from './report-messages.js';
import { remediationHeading, remediationSteps, stepText, topEvidence } from './result-text.js';
import type { Ask, BudgetLookup, SlackInvestigations } from './slack-hooks.js';
import type { SlackNotifier } from './slack-notifier.js';

/** A message to Holmes: a mention in a channel (maybe in a thread) or a direct message. */
export interface IncomingMessage {
  /** Unique per delivery (the event id): the answer's key. */
  eventKey: string;
  user: string;
  channel: string;
  text: string;
  ts: string;
  threadTs?: string | undefined;
  direct: boolean;
}

/** Where an answer goes while it is worked on, and when it is done. */
export interface AnswerSink {
  progress(doing: string): void;
  done(result: InvestigationResult): void;
  failed(message: string): void;
}

export interface ConversationOptions {
  store: SlackStore;
  notifier: SlackNotifier;
  investigations: SlackInvestigations;
  policy: AccessPolicy;
  ask?: Ask | undefined;
  budget: BudgetLookup;
  logger: Logger;
  maxConcurrent: number;
  /** The bot's user id, to strip its mention from the question. */
  botUserId: () => string | undefined;
}

export const HELP = [
  '*Holmes* investigates alerts and answers questions about the cluster (read-only).',
  '• `@Holmes <question>` in a channel, or a direct message: answered like `holmes ask`.',
  "• `@Holmes <question>` in an investigation's thread: a follow-up, with that investigation as context.",
  '• `/holmes ask <question>` · `/holmes investigate <ALERTNAME|FINGERPRINT>` · `/holmes budget` · `/holmes help`',
  '• Buttons on an investigation: *Investigate with LLM*, *Create Jira ticket*, *Show evidence*.',
].join('\n');

const NO_MODEL =
  'No model is configured, so I cannot answer free-form questions. Without one I still investigate every alert with the runbook checks (0 tokens): `/holmes investigate ALERTNAME` runs one again, and in its thread I can show the evidence and the runbook. To enable answers, add `models` to the Holmes config.';

/**
 * Conversations: a mention in an investigation's thread is a follow-up with that record as
 * context; any other mention or a direct message is a question. Answers are one message,
 * updated in place with what the model is doing, then with the answer.
 */
export function createConversation(options: ConversationOptions) {
  const { store, notifier, logger } = options;
  const limit = pLimit(options.maxConcurrent);

  const stripMention = (text: string) => {
    const bot = options.botUserId();
    return (bot ? text.replaceAll(`<@${bot}>`, '') : text.replace(/^\s*<@[UW][A-Z0-9]+>/, '')).trim();
  };

  /** What Holmes can offer about an investigation without a model: its evidence and runbook. */
  function withoutModel(result: InvestigationResult | null): string {
    if (!result) return NO_MODEL;
    const lines = [NO_MODEL, '', '*What the investigation found*', ...topEvidence(result, 5)];
    const { runbook, steps } = remediationSteps(result);
    if (steps.length > 0) lines.push('', remediationHeading(runbook), ...steps.map(stepText));
    return lines.join('\n');
  }

  /** Runs a question through the model, reporting progress to `sink`; the budget is checked first. */
  async function answer(
    question: string,
    requester: string,
    thread: { key: string; history: Array<{ question: string; answer: string }> },
    sink: AnswerSink,
  ): Promise<void> {
    const ask = options.ask;
    if (!ask) return sink.failed(NO_MODEL);
    const status = await options.budget(requester);
    if (status.over.length > 0) return sink.failed(overBudgetText(status));
    if (limit.activeCount >= options.maxConcurrent)
      sink.progress(`queued behind ${limit.pendingCount + 1} other questions`);
    await limit(async () => {
      sink.progress('gathering evidence');
      let last = '';
      try {
        const result = await ask(question, {
          requester,
          history: thread.history,
          threadId: thread.key,
          onEvent: (event) => {
            const doing = describeStep(event.kind, event.data);
            if (doing && doing !== last) sink.progress((last = doing));
          },
        });
        await store.addTurn(thread.key, { question, answer: plainAnswer(result).slice(0, 2_000) });
        sink.done(result);
      } catch (error) {
        logger.error({ error: (error as Error).message }, 'slack: answering a question failed');
        sink.failed(`❌ I could not answer: ${escapeMrkdwn((error as Error).message)}`);
      }
    });
  }

  /** A sink that keeps one message in a channel or thread up to date, the full text in its thread when cut. */
  function messageSink(key: string, target: { channel: string; threadTs?: string | undefined }, question: string) {
    const show = (content: SlackMessage) => notifier.message(key, target, content);
    const wake = () => notifier.wake();
    return {
      progress: (doing: string) => (show(progressMessage(question, doing)), wake()),
      done: (result: InvestigationResult) => {
        const rendered = answerMessage(result);
        show(rendered);
        if (rendered.cut) notifier.replies(key, `full:${key}`, textMessages(answerText(result), 'The full answer'));
        wake();
      },
      // Text of any length (the evidence and runbook without a model): sections within Slack's limits.
      failed: (text: string) => (show({ text: fallbackText(text), blocks: fitBlocks(sections(text)).blocks }), wake()),
    } satisfies AnswerSink;
  }

  async function handleMessage(message: IncomingMessage): Promise<void> {
    const decision = await options.policy.check({
      user: message.user,
      channel: message.channel,
      direct: message.direct,
    });
    if (!decision.allowed) {
      logger.info({ user: message.user, channel: message.channel, reason: decision.reason }, 'slack: refused');
      // In a channel only the asker sees the refusal; in a DM the refusal is the answer.
      if (message.direct)
        notifier.message(
          `refusal:${message.eventKey}`,
          { channel: message.channel },
          {
            text: decision.message,
            blocks: [section(decision.message)],
          },
        );
      else
        notifier.ephemeral(`refusal:${message.eventKey}`, {
          channel: message.channel,
          user: message.user,
          threadTs: message.threadTs,
          text: decision.message,
        });
      notifier.wake();
      return;
    }
    const question = stripMention(message.text);
    // Replies stay in the thread asked in; a top-level mention starts one; a DM is answered in place.
    const replyThread = message.threadTs ?? (message.direct ? undefined : message.ts);
    const target = { channel: message.channel, threadTs: replyThread };
    const key = `answer:${message.eventKey}`;
    if (!question) {
      notifier.message(key, target, { text: 'Holmes help', blocks: [section(HELP)] });
      notifier.wake();
      return;
    }
    const investigationId = message.threadTs
      ? await store.investigationAt(message.channel, message.threadTs)
      : undefined;
    const record = investigationId ? await options.investigations.get(investigationId) : undefined;
    const sink = messageSink(key, target, question);
    if (!options.ask) return sink.failed(withoutModel(record?.result ?? null));
    const threadKey = `${message.channel}:${replyThread ?? 'dm'}`;
    const history = [...(record?.result ? [recordContext(record.result)] : []), ...(await store.turns(threadKey))];
    await answer(question, `slack:${message.user}`, { key: threadKey, history }, sink);
  }

  return { handleMessage, answer, withoutModel, NO_MODEL };
}

export type Conversation = ReturnType<typeof createConversation>;
