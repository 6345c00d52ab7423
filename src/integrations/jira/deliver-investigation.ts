import { resultGraphs } from '../../graphs/result-graphs.js';
import type { ClaimedItem } from '../../ledger/outbox.js';
import { dedupLabel, ticketsJql } from './dedup-label.js';
import {
  JIRA_CHANNEL,
  JiraCallError,
  call,
  requireApi,
  type JiraDeliveryOptions,
  type JiraOutcome,
} from './delivery-context.js';
import type { JiraIssueSummary, NewIssue } from './jira-client.js';
import { ticketBody, ticketSummary } from './ticket-body.js';

export interface InvestigationPayload {
  investigationId: string;
  /** Set when someone asked for the ticket (a Slack button): `slack:U024BE7LH`. */
  requestedBy?: string;
}

/** What the outbox keeps for a delivered ticket item: where the ticket is, for later items and for Slack. */
export interface TicketResult {
  key: string;
  url: string;
  action: 'created' | 'commented' | 'reopened';
  dedupLabel: string;
}

/**
 * An investigation's ticket: comment on the open ticket of its dedup label, reopen (or replace)
 * a closed one, else create one — searching first, so neither a second replica nor a retry after
 * a crash ever makes a second ticket.
 */
export async function deliverInvestigation(options: JiraDeliveryOptions, item: ClaimedItem): Promise<JiraOutcome> {
  const { jira, store, logger } = options;
  const payload = item.payload as InvestigationPayload;
  const id = payload.investigationId;
  const found = await options.investigations.get(id);
  if (!found?.result) return { status: 'failed', error: `investigation ${id} has no recorded result` };
  const result = { ...found.result, id };
  const alert = result.alert ?? found.alerts[0];
  if (!alert) return { status: 'failed', error: `investigation ${id} has no alert` };
  if (!jira.project) return { status: 'failed', error: 'jira.project is not set' };
  const label = dedupLabel(jira.dedupBy, found.groupKey, alert.fingerprint);
  const links = options.links?.(id) ?? {};
  const attachesGraphs = options.graphs !== undefined && resultGraphs(result).length > 0;
  const severity = alert.labels[jira.severityLabel];
  const priority = severity === undefined ? undefined : jira.priorities[severity];
  const issue: NewIssue = {
    project: jira.project,
    issueType: jira.issueType,
    summary: ticketSummary(result),
    description: ticketBody(result, found.alerts, {
      links,
      attachesGraphs,
      ...(payload.requestedBy ? { requestedBy: payload.requestedBy } : {}),
    }),
    labels: [...new Set([...jira.labels, label])],
    components: jira.components,
    ...(priority ? { priority } : {}),
    property: { dedupLabel: label, investigationId: id, alert },
  };
  if (jira.dryRun) {
    logger.info(
      { dryRun: true, investigation: id, jql: ticketsJql(jira.project, label), issue },
      'Jira dry run: would search for the open ticket of this label, then comment on it or create this issue',
    );
    return { status: 'delivered', result: { dryRun: true, dedupLabel: label } };
  }
  const api = requireApi(options.api);
  // From the search to the recorded ticket, one sender per label across replicas: a second finds the first's ticket.
  return store.whileDelivering(label, async (): Promise<JiraOutcome> => {
    const delivered = async (
      ticket: Pick<JiraIssueSummary, 'key' | 'url'>,
      action: TicketResult['action'],
    ): Promise<JiraOutcome> => {
      await store.recordTicket(label, ticket, id);
      const value: TicketResult = { key: ticket.key, url: ticket.url, action, dedupLabel: label };
      return { status: 'delivered', result: value };
    };
    const tickets = await call('search tickets', () => api.search(ticketsJql(jira.project!, label), 10));
    // Jira's search is eventually consistent: the ticket this label got moments ago may not show yet.
    // Read it by key; one deleted, or whose dedup label someone removed, is forgotten.
    const known = (await store.get(label))?.issueKey;
    if (known && !tickets.some((ticket) => ticket.key === known)) {
      const direct = await call('get issue', () => api.getIssue(known));
      if (direct?.labels.includes(label)) tickets.unshift(direct);
      else await store.forgetTicket(label, known);
    }

    // A create call that went out before a crash (or whose answer was lost) may have made the ticket.
    const ours = tickets.find((ticket) => ticket.holmes?.investigationId === id);
    if (ours) return delivered(ours, 'created');
    const intent = (await store.get(label))?.intent;
    if (intent?.investigationId === id) {
      const age = (options.now ?? Date.now)() - Date.parse(intent.at);
      const lag = options.indexLagMs ?? 30_000;
      if (age < lag)
        return {
          status: 'retry',
          error: `a create call for ${label} may have reached Jira; waiting for its search to show the issue`,
          retryAfterMs: lag - age,
        };
    }

    const body = (lead: string) =>
      ticketBody(result, found.alerts, {
        links,
        lead,
        attachesGraphs,
        ...(payload.requestedBy ? { requestedBy: payload.requestedBy } : {}),
      });
    // The graphs of this investigation go to its ticket (new, commented or reopened) as their own item.
    const attachLater = async (key: string) => {
      if (attachesGraphs)
        await options.outbox.enqueue(JIRA_CHANNEL, `attach:${id}`, 'attach', { investigationId: id, key });
    };
    const open = tickets.find((ticket) => !ticket.done);
    if (open) {
      await call('comment', () => api.addComment(open.key, body('New investigation of this incident')));
      options.onEvent?.({ type: 'commented', key: open.key });
      await attachLater(open.key);
      return delivered(open, 'commented');
    }
    const closed = tickets[0];
    if (closed && jira.onRefire === 'reopen') {
      const transitions = await call('get transitions', () => api.transitions(closed.key));
      const wanted = jira.reopenTransition?.toLowerCase();
      const reopen = transitions.find((transition) =>
        wanted ? transition.name.toLowerCase() === wanted : !transition.toDone,
      );
      if (!reopen)
        throw new JiraCallError({
          kind: 'config',
          reason: 'config',
          status: 0,
          message: `reopen ${closed.key}: no transition ${wanted ? `'${jira.reopenTransition}'` : 'out of the done category'} (available: ${transitions.map((transition) => transition.name).join(', ') || 'none'})`,
          fix: 'Set jira.reopenTransition to one of the available transitions, or jira.onRefire: new.',
          signature: `reopen:${jira.reopenTransition ?? ''}`,
        });
      await call('reopen', () => api.transition(closed.key, reopen.id));
      options.onEvent?.({ type: 'transitioned', key: closed.key });
      await call('comment', () => api.addComment(closed.key, body(`The alert fired again; reopened (${reopen.name})`)));
      options.onEvent?.({ type: 'commented', key: closed.key });
      await attachLater(closed.key);
      return delivered(closed, 'reopened');
    }

    await store.recordIntent(label, id);
    let created;
    try {
      created = await call('create issue', () => api.createIssue(issue));
    } catch (error) {
      // Refused outright (4xx, 429): nothing was made, so the next attempt need not wait to look for it.
      if (error instanceof JiraCallError && (error.failure.kind !== 'retry' || error.failure.reason === 'rate_limited'))
        await store.clearIntent(label);
      throw error;
    }
    options.onEvent?.({ type: 'created', key: created.key });
    await attachLater(created.key);
    return delivered(created, 'created');
  });
}
