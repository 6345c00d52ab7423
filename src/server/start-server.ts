import { serve, type ServerType } from '@hono/node-server';
import type { Agent } from '../agent/create-agent.js';
import type { Registry } from 'prom-client';
import type { HolmesConfig } from '../config/config-schema.js';
import { resolveSecret } from '../config/secret.js';
import { HolmesError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { TicketCreator } from '../core/ticket.js';
import { createGraphCache } from '../graphs/create-graph-cache.js';
import type { RenderGraphs } from '../integrations/slack/index.js';
import { openStore, type Store } from '../ledger/open-store.js';
import type { SourceStatus } from '../toolsets/check-prerequisites.js';
import { prometheusFromConfig } from '../telemetry/clients-from-config.js';
import { createApp } from './create-app.js';
import { createServerMetrics } from './server-metrics.js';
import { startJira, type JiraHooks } from './start-jira.js';
import { createWorkerPool, type RunInvestigation } from './worker-pool.js';

export interface StartServerOptions {
  config: HolmesConfig;
  logger: Logger;
  run: RunInvestigation;
  /** The telemetry sources as last checked, for /readyz and /metrics. */
  sources?: () => SourceStatus[];
  /** Answers POST /api/v1/ask (the agent); without it the route says no model is configured. */
  ask?: (question: string) => Promise<unknown>;
  /** GET /api/v1/doctor (as `holmes doctor --json`). */
  doctor?: () => Promise<unknown>;
  /** Runbooks refused at load (each result lists them under NOT CHECKED); /metrics counts them. */
  runbooksSkipped?: number;
  /** The agent, for Slack's questions and follow-ups (with who asks, the thread and progress). */
  agent?: Pick<Agent, 'ask'> | undefined;
  /** The ticket tracker (Jira), for Slack's "Create Jira ticket" button and ticket links. */
  ticketCreator?: TicketCreator | undefined;
  /** Evidence graphs as PNGs, uploaded into an investigation's Slack thread. */
  renderGraphs?: RenderGraphs | undefined;
  /** Mounts MCP at /mcp (behind the same auth), given what the server opened: the store, the metrics registry. */
  mcp?: (shared: { store: Pick<Store, 'investigations' | 'records'>; registry: Registry; logger: Logger }) => {
    handle(request: Request): Promise<Response>;
    close(): Promise<void>;
  };
}

export interface RunningServer {
  url: string;
  /** Jira delivery, when configured: the ticket creator Slack's "Create Jira ticket" button calls. */
  jira: JiraHooks | undefined;
  /** Stops intake, finishes or requeues in-flight work, closes the store. */
  close(): Promise<void>;
}

/** Why the server could not listen, said as a user error with the fix (the usual causes are the user's to fix). */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  const fixPort = 'Choose another port with --port or server.port (0 picks a free one).';
  const fixHost =
    'Use an address of this machine with --host or server.host: 127.0.0.1, 0.0.0.0 (all), or one `ip addr` lists.';
  const known: Record<string, [string, string]> = {
    EADDRINUSE: [
      `Port ${port} on ${host} is already in use by another process.`,
      `Stop that process, or ${fixPort.toLowerCase()}`,
    ],
    EACCES: [`Not allowed to listen on ${where}: ports below 1024 need privileges.`, fixPort],
    EADDRNOTAVAIL: [`${host} is not an address of this machine, so Holmes cannot listen on it.`, fixHost],
    ENOTFOUND: [`The listen address ${host} does not resolve to an address.`, fixHost],
    EAI_AGAIN: [`The listen address ${host} could not be resolved (DNS unavailable).`, fixHost],
  };
  const entry = code ? known[code] : undefined;
  if (!entry) return error;
  return new HolmesError('CONFIG_INVALID', entry[0], { cause: error, fix: entry[1] });
}

/** `holmes serve`: the store, the workers and the HTTP API, started in that order. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const server = config.server;
  const auth = {
    tokens: server.tokens.map((token, index) => resolveSecret(token, `server.tokens[${index}]`)),
    ...(server.basicAuth
      ? {
          basic: {
            username: server.basicAuth.username,
            password: resolveSecret(server.basicAuth.password, 'server.basicAuth.password'),
          },
        }
      : {}),
    allowUnauthenticated: server.allowUnauthenticated,
  };
  const storage = await openStore(config.storage);
  const { investigations: store, outbox } = storage;
  const metrics = createServerMetrics({
    spend: { ledger: storage.ledger, budget: config.budget },
    outboxCounts: () => outbox.countsByChannel(),
  });
  metrics.runbooksSkipped.set(options.runbooksSkipped ?? 0);
  // Graphs are drawn when asked for, after their investigation finished: never on a worker's path.
  const prometheus = prometheusFromConfig(config);
  // Slack (when configured) follows investigations as they are created, progress, finish and resolve.
  let slack: Awaited<ReturnType<typeof import('./wire-slack.js').wireSlack>> | undefined;
  // Jira (when configured) opens, updates and resolves tickets as investigations finish and resolve.
  let jira: JiraHooks | undefined;
  try {
    // A ticket made or found shows on the investigation's Slack message.
    const onTicket = (id: string) => slack?.slack.refresh(id);
    jira = await startJira({ config, jiraStore: storage.jira, store, outbox, metrics, logger, prometheus, onTicket });
  } catch (error) {
    await storage.close();
    throw error;
  }
  const pool = createWorkerPool({
    store,
    run: options.run,
    concurrency: server.concurrency,
    ...(config.storage.postgres ? { leaseMs: config.storage.postgres.leaseMs } : {}),
    logger,
    metrics,
    onProgress: (id, event) => slack?.slack.progress(id, event),
    onFinished: async (id) => {
      slack?.slack.refresh(id);
      await jira?.onFinished(id);
    },
  });
  if (config.slack) {
    const { wireSlack } = await import('./wire-slack.js');
    const { agent, renderGraphs } = options;
    try {
      slack = await wireSlack({
        config: { ...config, slack: config.slack },
        logger,
        slackStore: storage.slack,
        store,
        outbox,
        ledger: storage.ledger,
        onQueued: pool.notify,
        agent,
        // The "Create Jira ticket" button files through Jira's own path (dedup, outbox).
        ticketCreator: options.ticketCreator ?? jira,
        renderGraphs,
        prometheus,
      });
    } catch (error) {
      await jira?.stop();
      await storage.close();
      throw error;
    }
  }
  const mcp = options.mcp?.({ store: storage, registry: metrics.registry, logger });
  const closeStore = () => storage.close();
  let ready = false;
  const app = createApp({
    store,
    metrics,
    logger,
    auth,
    bodyLimitBytes: server.bodyLimitBytes,
    maxQueue: server.maxQueue,
    maxAlertsPerGroup: server.maxAlertsPerGroup,
    onQueued: pool.notify,
    // Jira records a resolution before the acknowledgement (a quick local write); Slack renders after it.
    onInvestigationChanged: async (id) => {
      setImmediate(() => slack?.slack.refresh(id));
      await jira?.onChanged(id);
    },
    ...(options.ask ? { ask: options.ask } : {}),
    ...(options.doctor ? { doctor: options.doctor } : {}),
    ...(options.sources ? { sources: options.sources } : {}),
    mcp: mcp?.handle,
    isReady: () => ready,
    pingStore: storage.ping,
    ...(prometheus ? { graphs: createGraphCache({ prometheus }) } : {}),
  });
  try {
    await pool.start();
  } catch (error) {
    await slack?.close(0);
    await closeStore();
    throw error;
  }
  let http: ServerType;
  try {
    http = await new Promise((resolve, reject) => {
      const instance = serve(
        {
          fetch: app.fetch,
          hostname: server.host,
          port: server.port,
          ...(slack?.createServer ? { createServer: slack.createServer } : {}),
        },
        () => resolve(instance),
      );
      instance.once('error', reject);
    });
  } catch (error) {
    await mcp?.close();
    await pool.stop(0);
    await slack?.close(0);
    await jira?.stop();
    await closeStore();
    throw listenError(error, server.host, server.port);
  }
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : server.port;
  const url = `http://${server.host.includes(':') ? `[${server.host}]` : server.host}:${port}`;
  ready = true;
  logger.info(
    { url, store: `${storage.kind}:${storage.location}`, concurrency: server.concurrency, owner: pool.owner },
    'holmes serve is ready',
  );
  let closing: Promise<void> | undefined;
  return {
    url,
    jira,
    close: () =>
      (closing ??= (async () => {
        ready = false;
        // Open MCP sessions hold SSE streams, which would keep http.close waiting.
        await mcp?.close();
        await new Promise<void>((resolve) => http.close(() => resolve()));
        await pool.stop(server.shutdownGraceMs);
        // After the workers: their last results still reach the outbox (sent now, or at the next start).
        await slack?.close(Math.min(server.shutdownGraceMs, 5_000));
        await jira?.stop();
        await closeStore();
      })()),
  };
}
