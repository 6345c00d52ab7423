import { HolmesError } from '../../core/errors.js';
import type { TicketRef } from '../../core/ticket.js';
import type { ClaimedItem, OutboxItem } from '../../ledger/outbox.js';
import { deliverAttachments, deliverNote, deliverResolve, deliverTransition } from './deliver-follow-ups.js';
import { deliverInvestigation, type InvestigationPayload, type TicketResult } from './deliver-investigation.js';
import { JIRA_CHANNEL, JiraCallError, type JiraDeliveryOptions, type JiraOutcome } from './delivery-context.js';
import { isIssueKey } from './dedup-label.js';
import { createTicketPolicy } from './ticket-policy.js';

export type { TicketRef };

const SWEEP_WINDOW_MS = 24 * 3_600_000;

/**
 * Jira delivery for `holmes serve`: what to queue when an investigation finishes or its alert
 * resolves, how each queued item is delivered (the outbox worker calls `deliver`), and
 * `createTicket` for a person asking for one (the Slack button).
 */
export function createJiraDelivery(options: JiraDeliveryOptions) {
  const { jira, outbox, logger } = options;
  const policy = createTicketPolicy(jira);
  const reported = new Set<string>();
  const resolves = jira.onResolve.comment || jira.onResolve.transition !== undefined;

  function failed(error: unknown): JiraOutcome {
    if (!(error instanceof JiraCallError)) {
      options.onEvent?.({ type: 'failure', reason: 'internal' });
      return { status: 'retry', error: (error as Error).message };
    }
    const failure = error.failure;
    options.onEvent?.({ type: 'failure', reason: failure.reason });
    if (failure.kind === 'retry')
      return {
        status: 'retry',
        error: failure.message,
        ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
      };
    if (failure.kind === 'not_found') return { status: 'failed', error: failure.message };
    // A config error is the same for every item until someone fixes it: said once, with the fix.
    if (!reported.has(failure.signature)) {
      reported.add(failure.signature);
      logger.error({ status: failure.status, fix: failure.fix }, `Jira: ${failure.message}. Fix: ${failure.fix}`);
    }
    return { status: 'failed', error: `${failure.message}. Fix: ${failure.fix}`, reported: true };
  }

  async function queueResolve(investigationId: string): Promise<boolean> {
    if (!resolves) return false;
    return (await outbox.enqueue(JIRA_CHANNEL, `resolve:${investigationId}`, 'resolve', { investigationId })).created;
  }

  /** An investigation finished: queue its ticket when `jira.when` says so. Returns whether it was queued. */
  async function onInvestigationFinished(investigationId: string): Promise<boolean> {
    const found = await options.investigations.get(investigationId);
    if (!found?.result) return false;
    const decision = policy(found.result);
    if (!decision.open) {
      logger.debug({ investigation: investigationId, reason: decision.reason }, 'Jira: no ticket');
      return false;
    }
    const { created: queued } = await outbox.enqueue(
      JIRA_CHANNEL,
      `investigation:${investigationId}`,
      'investigation',
      {
        investigationId,
      } satisfies InvestigationPayload,
    );
    // Resolved while it was being investigated: the resolution follows the ticket.
    if (found.resolvedAt) await queueResolve(investigationId);
    return queued;
  }

  function ticketOf(item: OutboxItem): TicketRef {
    const result = item.result as (Partial<TicketResult> & { dryRun?: boolean }) | null;
    if (result?.dryRun)
      throw new HolmesError('CONFIG_INVALID', 'jira.dryRun is on: the ticket was logged, not created.', {
        fix: 'Set jira.dryRun: false to create tickets.',
      });
    if (!isIssueKey(result?.key) || typeof result.url !== 'string')
      throw new HolmesError('INTERNAL', `The ticket item ${item.key} holds no ticket.`);
    return { key: result.key, url: result.url };
  }

  return {
    /** For the outbox worker of channel `jira`. */
    async deliver(item: ClaimedItem): Promise<JiraOutcome> {
      try {
        switch (item.kind) {
          case 'investigation':
            return await deliverInvestigation(options, item);
          case 'resolve':
            return await deliverResolve(options, item);
          case 'transition':
            return await deliverTransition(options, item);
          case 'attach':
            return await deliverAttachments(options, item);
          case 'note':
            return await deliverNote(options, item);
          default:
            return { status: 'failed', error: `unknown Jira item kind '${item.kind}'` };
        }
      } catch (error) {
        return failed(error);
      }
    },

    /** An investigation finished: queue its ticket when `jira.when` says so. Returns whether it was queued. */
    onInvestigationFinished,

    /**
     * An investigation changed (created, or its group resolved): once its group has resolved,
     * comment and transition on its ticket, if it has one (or will). Returns whether it was queued.
     */
    async onGroupResolved(investigationId: string): Promise<boolean> {
      if (!(await options.investigations.get(investigationId))?.resolvedAt) return false;
      if (!(await outbox.get(JIRA_CHANNEL, `investigation:${investigationId}`))) return false;
      return queueResolve(investigationId);
    },

    /** The investigation's ticket, once Jira has made (or found) it. */
    async ticketFor(investigationId: string): Promise<TicketRef | undefined> {
      const item = await outbox.get(JIRA_CHANNEL, `investigation:${investigationId}`);
      const result = item?.state === 'done' ? (item.result as Partial<TicketResult> | null) : null;
      return isIssueKey(result?.key) && typeof result.url === 'string'
        ? { key: result.key, url: result.url }
        : undefined;
    },

    /**
     * Queues what a crash between recording and queueing left out (finished or resolved
     * investigations of the last day, never before Jira delivery was first enabled).
     */
    async sweep(now = Date.now()): Promise<number> {
      const since = new Date(
        Math.max(Date.parse(await options.store.enabledSince()), now - SWEEP_WINDOW_MS),
      ).toISOString();
      let queued = 0;
      for (const id of await options.store.finishedWithoutTicketItem(since))
        if (await onInvestigationFinished(id)) queued += 1;
      for (const id of await options.store.resolvedWithoutResolveItem(since)) if (await queueResolve(id)) queued += 1;
      return queued;
    },

    /**
     * A ticket for an investigation, asked for by a person (`requestedBy`, e.g. `slack:U024BE7LH`):
     * the same path as automatic tickets (dedup label, search first, the outbox), whatever
     * `jira.when` says. Resolves with the ticket once delivered; an investigation that already has
     * one gets it at once. Throws a HolmesError when Jira refuses, or when it has not answered
     * within `waitMs` (the ticket stays queued and is created when Jira answers).
     */
    async createTicket(investigationId: string, requestedBy: string, waitMs = 15_000): Promise<TicketRef> {
      const found = await options.investigations.get(investigationId);
      if (!found) throw new HolmesError('USAGE', `No investigation ${investigationId}.`);
      if (!found.result)
        throw new HolmesError('USAGE', `Investigation ${investigationId} has not finished yet.`, {
          fix: 'Ask again once it has a result.',
        });
      if (!jira.project)
        throw new HolmesError('CONFIG_INVALID', 'jira.project is not set, so Holmes opens no tickets.', {
          fix: 'Set jira.project to the key of the project for incident tickets.',
        });
      const key = `investigation:${investigationId}`;
      const existing = await outbox.get(JIRA_CHANNEL, key);
      if (existing?.state === 'done') return ticketOf(existing);
      await outbox.enqueue(JIRA_CHANNEL, key, 'investigation', {
        investigationId,
        requestedBy,
      } satisfies InvestigationPayload);
      options.wake?.();
      const deadline = Date.now() + waitMs;
      for (;;) {
        const item = await outbox.get(JIRA_CHANNEL, key);
        if (item?.state === 'done') return ticketOf(item);
        if (item?.state === 'failed')
          throw new HolmesError(
            'CONFIG_INVALID',
            `Jira did not create the ticket: ${item.lastError ?? 'unknown error'}`,
          );
        if (Date.now() >= deadline)
          throw new HolmesError(
            'UPSTREAM_UNAVAILABLE',
            `Jira has not answered yet${item?.lastError ? ` (${item.lastError})` : ''}; the ticket is queued and will be created when it does.`,
            { isRetryable: true },
          );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

export type JiraDelivery = ReturnType<typeof createJiraDelivery>;
