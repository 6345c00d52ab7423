import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';
import type { TicketCreator } from '../../core/ticket.js';
import type { SlackStore } from '../../ledger/slack-store.js';
import type { AccessPolicy } from './access-policy.js';
import { overBudgetText } from './budget-text.js';
import { escapeEntities, escapeMrkdwn, inlineCode } from './escape-mrkdwn.js';
import { ACTIONS } from './investigation-message.js';
import { evidenceMessages } from './report-messages.js';
import type { BudgetLookup, SlackInvestigations } from './slack-hooks.js';
import type { SlackNotifier } from './slack-notifier.js';

export interface ButtonActionOptions {
  store: SlackStore;
  notifier: SlackNotifier;
  investigations: SlackInvestigations;
  policy: AccessPolicy;
  budget: BudgetLookup;
  ticketCreator?: TicketCreator | undefined;
  /** A model is configured. */
  llm: boolean;
  logger: Logger;
}

/** A response_url takes five answers. */
const MAX_RESPONSES = 5;

/**
 * The buttons of an investigation's message. Acknowledged at once; the answer (visible only to
 * whoever clicked) follows through the response_url, and the message itself is updated.
 */
export function createButtonActions(options: ButtonActionOptions) {
  const { notifier, logger } = options;
  const inFlight = new Set<string>();

  return async function handleAction(body: BlockAction, action: ButtonAction): Promise<void> {
    if (!(await options.store.claimEvent(`action:${body.trigger_id}`))) return;
    let answers = 0;
    const tell = (text: string, blocks?: Parameters<SlackNotifier['respond']>[1]['body']['blocks']) => {
      if (!body.response_url || answers >= MAX_RESPONSES) return;
      notifier.respond(`respond:${body.trigger_id}:${answers++}`, {
        url: body.response_url,
        body: { response_type: 'ephemeral', replace_original: false, text, ...(blocks ? { blocks } : {}) },
      });
      notifier.wake();
    };
    const user = body.user.id;
    const channel = body.channel?.id ?? '';
    const decision = await options.policy.check({ user, channel, direct: channel.startsWith('D') });
    if (!decision.allowed) return tell(decision.message);
    const id = action.value ?? '';
    const record = await options.investigations.get(id);
    if (!record) return tell(`Investigation ${inlineCode(id.slice(0, 8))} is no longer in Holmes's store.`);
    const requester = `slack:${user}`;

    if (action.action_id === ACTIONS.showEvidence) {
      if (!record.result) return tell('The investigation has not finished yet.');
      for (const message of evidenceMessages(record.result).slice(0, MAX_RESPONSES)) tell(message.text, message.blocks);
      return;
    }

    if (action.action_id === ACTIONS.investigateWithLlm) {
      if (!options.llm)
        return tell('No model is configured, so the LLM cannot investigate. Add `models` to the Holmes config.');
      const alert = record.result?.alert ?? record.alerts[0];
      const status = await options.budget(requester, alert?.labels);
      if (status.over.length > 0) return tell(overBudgetText(status));
      if (!(await options.investigations.rerun(id, requester)))
        return tell('It is being investigated already; the message updates when it is done.');
      await notifier.refresh(id);
      return tell(
        `⏳ Investigating again with the LLM, on team ${inlineCode(status.team)}'s budget; the message updates when done.`,
      );
    }

    if (action.action_id === ACTIONS.createTicket) {
      const creator = options.ticketCreator;
      if (!creator) return tell('No ticket tracker is configured in Holmes.');
      const existing = await creator.ticketFor(id);
      if (existing)
        return tell(
          `This investigation already has ticket ${escapeMrkdwn(existing.key)}: ${escapeEntities(existing.url)}`,
        );
      if (inFlight.has(id)) return tell('A ticket is being created for it already.');
      inFlight.add(id);
      try {
        const ticket = await creator.createTicket(id, requester);
        notifier.refresh(id);
        return tell(`Created ${escapeMrkdwn(ticket.key)}: ${escapeEntities(ticket.url)}`);
      } catch (error) {
        logger.error({ investigation: id, error: (error as Error).message }, 'slack: creating a ticket failed');
        return tell(`❌ The ticket could not be created: ${escapeMrkdwn((error as Error).message)}`);
      } finally {
        inFlight.delete(id);
      }
    }
  };
}
