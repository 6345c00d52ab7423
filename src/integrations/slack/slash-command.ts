import type { SlashCommand } from '@slack/bolt';
import type { InvestigationResult } from '../../core/investigation.js';
import type { Logger } from '../../core/logger.js';
import type { SlackStore } from '../../ledger/slack-store.js';
import type { AccessPolicy } from './access-policy.js';
import { answerMessage, answerText } from './answer-message.js';
import { budgetText } from './budget-text.js';
import { HELP, type AnswerSink, type Conversation } from './conversation.js';
import { escapeMrkdwn, inlineCode } from './escape-mrkdwn.js';
import { textMessages } from './report-messages.js';
import type { BudgetLookup, SlackInvestigations } from './slack-hooks.js';
import type { SlackNotifier } from './slack-notifier.js';

export interface SlashCommandOptions {
  store: SlackStore;
  notifier: SlackNotifier;
  investigations: SlackInvestigations;
  policy: AccessPolicy;
  conversation: Conversation;
  budget: BudgetLookup;
  logger: Logger;
}

export type CommandAck = (response: { response_type: 'ephemeral'; text: string }) => Promise<void>;

/** A response_url takes five answers; the last is kept for "the rest is in …". */
const MAX_RESPONSES = 4;

/**
 * `/holmes ask|investigate|budget|help`. Slack wants an answer within 3 seconds, so the command is
 * acknowledged at once with what will happen; the result follows through the response_url.
 */
export function createSlashCommand(options: SlashCommandOptions) {
  const { notifier, store } = options;

  return async function handleCommand(command: SlashCommand, ack: CommandAck): Promise<void> {
    const text = command.text.trim();
    const verb = (text.split(/\s+/)[0] ?? '').toLowerCase();
    const argument = text.slice(verb.length).trim();
    const reply = (index: number, body: Parameters<SlackNotifier['respond']>[1]['body']) =>
      notifier.respond(`respond:${command.trigger_id}:${index}`, { url: command.response_url, body });
    const say = (message: string) => {
      reply(0, { response_type: 'ephemeral', text: message });
      notifier.wake();
    };
    if (verb === '' || verb === 'help') return ack({ response_type: 'ephemeral', text: HELP });
    if (!['ask', 'investigate', 'budget'].includes(verb))
      return ack({ response_type: 'ephemeral', text: `I do not know \`/holmes ${escapeMrkdwn(verb)}\`.\n${HELP}` });
    if ((verb === 'ask' || verb === 'investigate') && !argument)
      return ack({
        response_type: 'ephemeral',
        text:
          verb === 'ask' ? 'Usage: `/holmes ask <question>`' : 'Usage: `/holmes investigate <ALERTNAME|FINGERPRINT>`',
      });
    await ack({
      response_type: 'ephemeral',
      text:
        verb === 'budget'
          ? '⏳ Reading the ledger…'
          : verb === 'ask'
            ? `⏳ Working on: ${escapeMrkdwn(argument)}`
            : `⏳ Investigating ${inlineCode(argument)}; the result will follow here.`,
    });
    if (!(await store.claimEvent(`command:${command.trigger_id}`))) return;

    const requester = `slack:${command.user_id}`;
    const direct = command.channel_name === 'directmessage' || command.channel_id.startsWith('D');
    const decision = await options.policy.check({ user: command.user_id, channel: command.channel_id, direct });
    if (!decision.allowed) return say(decision.message);

    if (verb === 'budget') return say(budgetText(await options.budget(requester)));

    if (verb === 'investigate') {
      const found = await options.investigations.find(argument);
      if (!found)
        return say(
          `No alert named or fingerprinted ${inlineCode(argument)} has reached Holmes. Alerts arrive through the Alertmanager webhook (\`/api/v1/alertmanager\`).`,
        );
      await store.addWaiter(found.investigationId, command.response_url, requester);
      if (!(await options.investigations.rerun(found.investigationId, requester)))
        options.logger.info(
          { investigation: found.investigationId },
          'slack: already being investigated; waiting for it',
        );
      await notifier.refresh(found.investigationId);
      return;
    }

    // ask: the answer goes to the channel, in as many responses as it takes (up to Slack's five).
    const sink: AnswerSink = {
      progress: () => undefined,
      done: (result: InvestigationResult) => {
        const rendered = answerMessage(result);
        reply(0, { response_type: 'in_channel', text: rendered.text, blocks: rendered.blocks });
        if (rendered.cut)
          textMessages(answerText(result), 'The full answer')
            .slice(0, MAX_RESPONSES - 1)
            .forEach((message, index) => reply(index + 1, { response_type: 'in_channel', ...message }));
        notifier.wake();
      },
      failed: say,
    };
    await options.conversation.answer(
      argument,
      requester,
      { key: `command:${command.channel_id}:${command.user_id}`, history: [] },
      sink,
    );
  };
}
