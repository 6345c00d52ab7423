import type { ClaimedItem } from '../../ledger/outbox.js';
import { isIssueKey } from './dedup-label.js';
import {
  JIRA_CHANNEL,
  JiraCallError,
  call,
  requireApi,
  type JiraDeliveryOptions,
  type JiraOutcome,
} from './delivery-context.js';
import type { TicketResult } from './deliver-investigation.js';
import { noteComment, resolvedComment } from './ticket-body.js';

const WAIT_FOR_TICKET_MS = 5_000;

/** The alert resolved: a comment on its ticket, then (as its own item) the transition. */
export async function deliverResolve(options: JiraDeliveryOptions, item: ClaimedItem): Promise<JiraOutcome> {
  const { jira, outbox } = options;
  const { investigationId } = item.payload as { investigationId: string };
  const ticketItem = await outbox.get(JIRA_CHANNEL, `investigation:${investigationId}`);
  if (!ticketItem || ticketItem.state === 'failed')
    return { status: 'delivered', result: { skipped: 'the investigation has no ticket' } };
  // Created later than it resolved (Jira was down): the resolution waits for its ticket.
  if (ticketItem.state !== 'done')
    return { status: 'retry', error: 'the ticket is not created yet', retryAfterMs: WAIT_FOR_TICKET_MS };
  const ticket = ticketItem.result as Partial<TicketResult> & { dryRun?: boolean };
  const found = await options.investigations.get(investigationId);
  const resolvedAt = found?.resolvedAt ?? new Date().toISOString();
  if (jira.dryRun || ticket.dryRun || !isIssueKey(ticket.key)) {
    options.logger.info(
      { dryRun: true, investigation: investigationId, transition: jira.onResolve.transition ?? null },
      'Jira dry run: would comment that the alert resolved',
    );
    return { status: 'delivered', result: { dryRun: true } };
  }
  const key = ticket.key;
  if (jira.onResolve.comment) {
    try {
      await call('comment', () =>
        requireApi(options.api).addComment(key, resolvedComment(found?.result?.alert ?? null, resolvedAt)),
      );
    } catch (error) {
      if (error instanceof JiraCallError && error.failure.kind === 'not_found')
        return { status: 'delivered', result: { skipped: `${key} no longer exists` } };
      throw error;
    }
    options.onEvent?.({ type: 'commented', key });
  }
  if (jira.onResolve.transition)
    await outbox.enqueue(JIRA_CHANNEL, `transition:${investigationId}`, 'transition', {
      key,
      name: jira.onResolve.transition,
    });
  return { status: 'delivered', result: { key, resolved: true } };
}

/** A transition by name (the workflow decides which exist from the issue's status). */
export async function deliverTransition(options: JiraDeliveryOptions, item: ClaimedItem): Promise<JiraOutcome> {
  const { key, name } = item.payload as { key: string; name: string };
  const api = requireApi(options.api);
  const transitions = await call('get transitions', () => api.transitions(key));
  const match = transitions.find((transition) => transition.name.toLowerCase() === name.toLowerCase());
  if (!match)
    throw new JiraCallError({
      kind: 'config',
      reason: 'config',
      status: 0,
      message: `transition ${key}: no transition '${name}' from its current status (available: ${transitions.map((transition) => transition.name).join(', ') || 'none'})`,
      fix: 'Set jira.onResolve.transition to a transition of the workflow (names as shown on the issue), or remove it.',
      signature: `transition:${name}`,
    });
  await call('transition', () => api.transition(key, match.id));
  options.onEvent?.({ type: 'transitioned', key });
  return { status: 'delivered', result: { key, transition: match.name } };
}

/**
 * The graphs of an investigation, attached as PNG files to its ticket; the graphs that could not
 * be drawn are said in a comment of their own (its own item: a retry never attaches twice).
 */
export async function deliverAttachments(options: JiraDeliveryOptions, item: ClaimedItem): Promise<JiraOutcome> {
  const { investigationId, key } = item.payload as { investigationId: string; key: string };
  const result = (await options.investigations.get(investigationId))?.result;
  const { files, notRendered } =
    result && options.graphs
      ? await options.graphs({ ...result, id: investigationId })
      : { files: [], notRendered: [] };
  if (files.length > 0) {
    await call('attach', () => requireApi(options.api).attach(key, files));
    options.onEvent?.({ type: 'attached', key });
  }
  if (notRendered.length > 0)
    await options.outbox.enqueue(JIRA_CHANNEL, `graph-note:${investigationId}`, 'note', {
      key,
      title: 'Not checked',
      lines: notRendered,
    });
  return { status: 'delivered', result: { key, attached: files.length, notRendered: notRendered.length } };
}

/** A short comment of its own (what the graphs of an investigation could not show). */
export async function deliverNote(options: JiraDeliveryOptions, item: ClaimedItem): Promise<JiraOutcome> {
  const { key, title, lines } = item.payload as { key: string; title: string; lines: string[] };
  await call('comment', () => requireApi(options.api).addComment(key, noteComment(title, lines)));
  options.onEvent?.({ type: 'commented', key });
  return { status: 'delivered', result: { key } };
}
