import type { HolmesConfig } from '../config/config-schema.js';
import type { Logger } from '../core/logger.js';
import type { InvestigationStore } from '../ledger/investigation-types.js';
import type { JiraStore } from '../ledger/jira-store.js';
import type { PrometheusClient } from '../telemetry/prometheus-types.js';
import type { Outbox } from '../ledger/outbox.js';
import type { InvestigationResult } from '../core/investigation.js';
import type { TicketCreator } from '../core/ticket.js';
import type { JiraDeliveryOptions, JiraEvent, TicketFile } from '../integrations/jira/index.js';
import { createOutboxWorker, type OutboxWorker } from './outbox-worker.js';
import type { ServerMetrics } from './server-metrics.js';

export interface StartJiraOptions {
  config: HolmesConfig;
  /** Where Jira's tickets are kept: the server's store, SQLite or PostgreSQL. */
  jiraStore: JiraStore;
  store: InvestigationStore;
  outbox: Outbox;
  metrics: ServerMetrics;
  logger: Logger;
  /** Where the evidence graphs read their series; without it new tickets get no graphs. */
  prometheus?: PrometheusClient | undefined;
  /** An investigation's ticket was created or found (Slack shows the link). */
  onTicket?: (investigationId: string) => void;
}

/**
 * What the server calls into: hooks for the worker pool and the webhook, and the ticket creator
 * Slack's "Create Jira ticket" button uses (`createTicket(id, 'slack:U024BE7LH')` → `{ key, url }`:
 * same dedup and outbox as automatic tickets; a HolmesError with the reason when Jira refuses or
 * is not answering).
 */
export interface JiraHooks extends TicketCreator {
  /** An investigation was recorded as finished or failed: queue its ticket when `jira.when` says so. */
  onFinished(investigationId: string): Promise<void>;
  /** An investigation was created or its group resolved: follow a resolution on its ticket. */
  onChanged(investigationId: string): Promise<void>;
  stop(): Promise<void>;
}

/** The evidence graphs of a result as PNG files to attach, and a line for each that could not be drawn. */
async function graphFiles(
  result: InvestigationResult,
  prometheus: PrometheusClient,
  logger: Logger,
): Promise<{ files: TicketFile[]; notRendered: string[] }> {
  const [{ renderResultGraphs, describeGraphFailure }, { graphFileName }] = await Promise.all([
    import('../graphs/render-result-graphs.js'),
    import('../integrations/jira/index.js'),
  ]);
  const { graphs, failures } = await renderResultGraphs(result, prometheus);
  const notRendered = failures.map(describeGraphFailure);
  for (const line of notRendered) logger.warn({ investigation: result.id }, `Jira: ${line}`);
  return {
    files: graphs.map((graph) => ({
      filename: graphFileName(result.id, graph.index),
      content: graph.png,
      mimeType: 'image/png',
    })),
    notRendered,
  };
}

/** Jira delivery for `holmes serve`, when the config has a jira section; undefined otherwise. */
export async function startJira(options: StartJiraOptions): Promise<JiraHooks | undefined> {
  const { config, jiraStore, outbox, metrics, logger, prometheus } = options;
  const jira = config.jira;
  if (!jira) return undefined;
  if (!jira.project)
    logger.warn('jira.project is not set: Holmes opens no tickets (holmes investigate jira still works)');
  const { createJiraClient, createJiraDelivery, JIRA_CHANNEL } = await import('../integrations/jira/index.js');
  // Built now, so a secret that cannot be resolved stops the start with its fix, not the first ticket.
  const api = jira.dryRun ? undefined : createJiraClient(jira);
  const onEvent = (event: JiraEvent) => {
    if (event.type === 'failure') metrics.jiraFailures.inc({ reason: event.reason });
    else if (event.type === 'created') metrics.jiraTicketsCreated.inc();
    else if (event.type === 'commented') metrics.jiraComments.inc();
    else if (event.type === 'transitioned') metrics.jiraTransitions.inc();
    else metrics.jiraAttachments.inc();
  };
  const holmesUrl = jira.holmesUrl?.replace(/\/+$/, '');
  let worker: OutboxWorker | undefined;
  const deliveryOptions: JiraDeliveryOptions = {
    jira,
    api,
    store: jiraStore,
    outbox,
    investigations: options.store,
    logger,
    onEvent,
    links: (id) => (holmesUrl ? { investigation: `${holmesUrl}/api/v1/investigations/${encodeURIComponent(id)}` } : {}),
    wake: () => worker?.notify(),
    ...(prometheus ? { graphs: (result) => graphFiles(result, prometheus, logger) } : {}),
  };
  const delivery = createJiraDelivery(deliveryOptions);
  worker = createOutboxWorker({
    outbox,
    channel: JIRA_CHANNEL,
    deliver: delivery.deliver,
    logger,
    // One delivery makes up to four calls in a row, each within jira.timeoutMs.
    leaseMs: jira.timeoutMs * 5,
    onOutcome: (item, outcome) => {
      if (item.kind === 'investigation' && outcome.status === 'delivered')
        options.onTicket?.((item.payload as { investigationId: string }).investigationId);
    },
  });
  const swept = await delivery.sweep();
  if (swept > 0) logger.warn({ queued: swept }, 'Jira: queued what a previous process recorded but did not queue');
  worker.start();
  // Called from the worker pool and the webhook: a failure here is logged (the start-up sweep
  // queues what it left out), never thrown into them.
  const hook = (what: string, queue: (id: string) => Promise<boolean>) => async (id: string) => {
    try {
      if (await queue(id)) worker?.notify();
    } catch (error) {
      logger.error({ investigation: id, error: (error as Error).message }, `Jira: could not queue the ${what}`);
    }
  };
  return {
    onFinished: hook('ticket', delivery.onInvestigationFinished),
    onChanged: hook('resolution', delivery.onGroupResolved),
    createTicket: (id, requestedBy) => delivery.createTicket(id, requestedBy),
    ticketFor: (id) => delivery.ticketFor(id),
    stop: () => worker!.stop(),
  };
}
