import { createServer, type RequestListener, type ServerOptions } from 'node:http';
import { overBudget, resolveTeam } from '../agent/admission.js';
import type { Agent } from '../agent/create-agent.js';
import type { HolmesConfig } from '../config/config-schema.js';
import type { SlackConfig } from '../config/slack-schema.js';
import type { Logger } from '../core/logger.js';
import type { TicketCreator } from '../core/ticket.js';
import type { BudgetStatus, RenderGraphs, Slack } from '../integrations/slack/index.js';
import type { InvestigationStore } from '../ledger/investigation-types.js';
import type { PrometheusClient } from '../telemetry/prometheus-types.js';
import type { Outbox } from '../ledger/outbox.js';
import type { SlackStore } from '../ledger/slack-store.js';
import type { SpendLedger } from '../ledger/spend-ledger.js';
import { createOutboxWorker } from './outbox-worker.js';

export interface SlackWiringOptions {
  config: HolmesConfig & { slack: SlackConfig };
  logger: Logger;
  /** Slack's own records (messages, events, threads), in the server's store. */
  slackStore: SlackStore;
  store: InvestigationStore;
  outbox: Outbox;
  /** The store's spend ledger (what /holmes budget shows). */
  ledger: SpendLedger;
  /** Wakes the investigation workers (a re-run was queued). */
  onQueued: () => void;
  agent?: Pick<Agent, 'ask'> | undefined;
  ticketCreator?: TicketCreator | undefined;
  /** The evidence graphs; default: drawn from the result's graph specs with `prometheus` (when there is one). */
  renderGraphs?: RenderGraphs | undefined;
  prometheus?: PrometheusClient | undefined;
}

export interface SlackWiring {
  slack: Slack;
  /** For @hono/node-server: a server that hands POST /slack/events to Bolt (HTTP mode). */
  createServer: typeof createServer | undefined;
  close(graceMs: number): Promise<void>;
}

/** A requester's team (labels first, as admission decides) and its spend against its limits. */
async function budgetStatus(
  budget: HolmesConfig['budget'],
  ledger: SpendLedger,
  requester: string,
  labels?: Record<string, string>,
): Promise<BudgetStatus> {
  const { team, source } = resolveTeam(budget, labels, requester);
  const limits = budget.teams[team] ?? budget.otherTeams;
  const spent = await ledger.spent(team);
  return { team, teamSource: source, limits, spent, over: overBudget(limits, spent), caps: budget.perInvestigation };
}

/**
 * The first graph of a result as a PNG (Slack shows one). One that cannot be drawn (no Prometheus,
 * a failed query) is named, so the thread says why the picture is missing.
 */
function graphRenderer(prometheus: PrometheusClient | undefined): RenderGraphs {
  return async (result) => {
    // Loaded when a result has a graph: ECharts and resvg stay out of a server that never draws.
    const { renderResultGraphs, resultGraphs, describeGraphFailure } = await import('../graphs/index.js');
    if (resultGraphs(result).length === 0) return { images: [], notRendered: [] };
    const { graphs, failures } = await renderResultGraphs(result, prometheus, { limit: 1 });
    return {
      images: graphs.map((graph) => ({ title: graph.title, png: graph.png })),
      notRendered: failures.map(describeGraphFailure),
    };
  };
}

/**
 * POSTs to Slack's path go to Bolt's listener, everything else to the Hono app (which answers 404
 * for other methods there). Bolt throws for a request it does not route; that must not reach the
 * server's 'request' event, where it would end the process.
 */
function routeSlack(slackListener: RequestListener, path: string, logger: Logger): typeof createServer {
  return ((options: ServerOptions, listener: RequestListener) =>
    createServer(options, (request, response) => {
      if (request.method !== 'POST' || request.url?.split('?')[0] !== path) return listener(request, response);
      try {
        return slackListener(request, response);
      } catch (error) {
        logger.warn({ error: (error as Error).message }, 'slack: request not handled');
        if (!response.headersSent) response.writeHead(404).end();
      }
    })) as typeof createServer;
}

/**
 * Slack for `holmes serve`: the integration built on the store (investigations, budget, outbox)
 * and the agent, with the outbox worker that delivers its messages. The server calls `refresh`
 * and `progress` as investigations change; Slack never reaches into the server.
 */
export async function wireSlack(options: SlackWiringOptions): Promise<SlackWiring> {
  const { config, logger, store } = options;
  const { createSlack, SLACK_CHANNEL, EVENTS_PATH } = await import('../integrations/slack/index.js');
  const { outbox } = options;
  const { ledger } = options;
  let worker: ReturnType<typeof createOutboxWorker> | undefined;
  const agent = options.agent;
  const slack = await createSlack({
    config: config.slack,
    logger,
    outbox,
    wake: () => worker?.notify(),
    store: options.slackStore,
    investigations: {
      get: async (id) => {
        const found = await store.get(id);
        return (
          found && {
            id: found.id,
            state: found.state,
            alerts: found.alerts,
            alertCount: found.alertCount,
            resolvedAt: found.resolvedAt,
            result: found.result,
            error: found.error,
          }
        );
      },
      find: (query) => store.findAlert(query),
      rerun: async (id, requester) => {
        const queued = await store.rerun(id, requester);
        if (queued) options.onQueued();
        return queued;
      },
    },
    budget: async (requester, labels) => budgetStatus(config.budget, ledger, requester, labels),
    ask: agent ? (question, askOptions) => agent.ask(question, askOptions) : undefined,
    ticketCreator: options.ticketCreator,
    renderGraphs: options.renderGraphs ?? graphRenderer(options.prometheus),
  });
  worker = createOutboxWorker({ outbox, channel: SLACK_CHANNEL, deliver: slack.deliver, logger });
  worker.start();
  slack.start();
  return {
    slack,
    createServer: slack.requestListener ? routeSlack(slack.requestListener, EVENTS_PATH, logger) : undefined,
    async close(graceMs) {
      await slack.stop(graceMs);
      await worker!.stop();
    },
  };
}
