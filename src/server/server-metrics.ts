import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import {
  estimatedSamples,
  fill,
  flaggedSamples,
  remainingSamples,
  tokenSamples,
  usdSamples,
  type Sample,
  type SpendSource,
} from './ledger-metrics.js';

export interface ServerMetricsOptions {
  /** Model spend and budgets, read from the ledger at each scrape. */
  spend?: SpendSource;
  /** Messages in the outbox per receiver and state, read at each scrape. */
  outboxCounts?: () => Promise<Array<{ channel: string; state: string; count: number }>>;
}

/** Holmes's own telemetry, on a registry of its own so several servers can live in one process (tests). */
export function createServerMetrics(options: ServerMetricsOptions = {}) {
  const { spend } = options;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'holmes_' });
  /** A counter read from the ledger at each scrape: the ledger holds the totals, across restarts. */
  const ledgerCounter = (
    name: string,
    help: string,
    labelNames: string[],
    samples: (source: SpendSource) => Promise<Sample[]>,
  ) =>
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        if (spend) fill(this, await samples(spend));
      },
    });
  return {
    registry,
    alertsReceived: new Counter({
      name: 'holmes_alerts_received_total',
      help: 'Alerts received on the webhook, by status',
      labelNames: ['status'],
      registers: [registry],
    }),
    alertsDeduplicated: new Counter({
      name: 'holmes_alerts_deduplicated_total',
      help: 'Alerts already seen (same fingerprint and startsAt): repeats, retries, HA pairs',
      registers: [registry],
    }),
    notificationsRejected: new Counter({
      name: 'holmes_webhook_rejected_total',
      help: 'Webhook requests refused, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    sourceUp: new Gauge({
      name: 'holmes_source_up',
      help: 'Whether a telemetry source (prometheus, kubernetes) answered when last checked (1) or not (0)',
      labelNames: ['source'],
      registers: [registry],
    }),
    runbooksSkipped: new Gauge({
      name: 'holmes_runbooks_skipped',
      help: 'Runbooks refused at load (broken file, unknown tool or parameter, undefined name); see the log or holmes runbooks check',
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'holmes_queue_depth',
      help: 'Investigations waiting for a worker',
      registers: [registry],
    }),
    investigations: new Counter({
      name: 'holmes_investigations_total',
      help: 'Investigations finished, by mode and status',
      labelNames: ['mode', 'status'],
      registers: [registry],
    }),
    investigationDuration: new Histogram({
      name: 'holmes_investigation_duration_seconds',
      help: 'Time from a worker taking an investigation to its result',
      labelNames: ['mode'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers: [registry],
    }),
    llmTokens: ledgerCounter(
      'holmes_llm_tokens_total',
      'Model tokens used, by team, model and direction (input: uncached prompt; cache_read, cache_write; output)',
      ['team', 'model', 'direction'],
      tokenSamples,
    ),
    llmUsd: ledgerCounter(
      'holmes_llm_usd_total',
      'Model spend in USD, by team and model, cached tokens at their price',
      ['team', 'model'],
      usdSamples,
    ),
    llmEstimatedCalls: ledgerCounter(
      'holmes_llm_estimated_calls_total',
      'Model calls metered from an estimate (no usage reported, timed out or cut off), by team and model',
      ['team', 'model'],
      estimatedSamples,
    ),
    llmUsageFlags: ledgerCounter(
      'holmes_llm_usage_flags_total',
      'Model calls whose reported usage was far above their reservation, by team, model and flag',
      ['team', 'model', 'flag'],
      flaggedSamples,
    ),
    // An outage of Slack or Jira shows as pending messages; failed ones need a person (a channel, a scope).
    outboxMessages: new Gauge({
      name: 'holmes_outbox_messages',
      help: 'Outgoing messages waiting or kept in the outbox, by receiver and state (pending, sending, done, failed)',
      labelNames: ['channel', 'state'],
      registers: [registry],
      async collect() {
        const rows = (await options.outboxCounts?.()) ?? [];
        this.reset();
        for (const row of rows) this.set({ channel: row.channel, state: row.state }, row.count);
      },
    }),
    budgetRemaining: new Gauge({
      name: 'holmes_budget_remaining_usd',
      help: 'USD left in the team budget for the period',
      labelNames: ['team', 'period'],
      registers: [registry],
      async collect() {
        if (spend) fill(this, await remainingSamples(spend));
      },
    }),
    jiraTicketsCreated: new Counter({
      name: 'holmes_jira_tickets_created_total',
      help: 'Jira tickets Holmes created',
      registers: [registry],
    }),
    jiraComments: new Counter({
      name: 'holmes_jira_comments_total',
      help: 'Comments Holmes added to Jira tickets (new investigations, resolutions, reopenings)',
      registers: [registry],
    }),
    jiraTransitions: new Counter({
      name: 'holmes_jira_transitions_total',
      help: 'Jira transitions Holmes applied (on resolve, on reopen)',
      registers: [registry],
    }),
    jiraAttachments: new Counter({
      name: 'holmes_jira_attachments_total',
      help: 'Uploads of investigation graphs to Jira tickets',
      registers: [registry],
    }),
    jiraFailures: new Counter({
      name: 'holmes_jira_delivery_failures_total',
      help: 'Failed Jira calls, by reason (unreachable, rate_limited, server_error, config, not_found, internal)',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;
