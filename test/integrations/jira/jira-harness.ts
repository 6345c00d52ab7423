/** A store with finished investigations, the Jira delivery and its outbox worker, against the stand-in. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import type { JiraConfig } from '../../../src/config/jira-schema.js';
import type { Alert } from '../../../src/core/alert.js';
import type { Evidence, InvestigationResult } from '../../../src/core/investigation.js';
import { createJiraClient } from '../../../src/integrations/jira/jira-client.js';
import { createJiraDelivery, type JiraDelivery } from '../../../src/integrations/jira/jira-delivery.js';
import type { JiraDeliveryOptions, JiraEvent } from '../../../src/integrations/jira/delivery-context.js';
import type { InvestigationStore } from '../../../src/ledger/investigation-store.js';
import type { JiraStore } from '../../../src/ledger/jira-store.js';
import type { Outbox } from '../../../src/ledger/outbox.js';
import { createOutboxWorker, type OutboxWorker } from '../../../src/server/outbox-worker.js';
import { sqliteSite, type StoreSite } from '../../fixtures/store-site.js';
import { makeAlert, resultFor } from '../../server/fixtures/webhook.js';
import type { JiraStandIn } from './jira-stand-in.js';

/** The lease the harness's one pretend worker claims with. */
const LEASE = { owner: 'jira-harness', ms: 30_000 };

export const EMAIL = 'sre-bot@example.com';
export const API_TOKEN = 'jira-api-token-3c1d';

export function jiraConfig(url: string, overrides: Record<string, unknown> = {}): JiraConfig {
  return configSchema.parse({
    jira: {
      url,
      email: EMAIL,
      apiToken: { env: 'TEST_JIRA_TOKEN' },
      project: 'OPS',
      priorities: { critical: 'Highest', warning: 'Medium' },
      components: ['gpu'],
      onResolve: { comment: true, transition: 'Done' },
      timeoutMs: 2_000,
      ...overrides,
    },
  }).jira!;
}

export const ENV = { TEST_JIRA_TOKEN: API_TOKEN };

/** A result with everything a ticket shows: cause, evidence, remediation with a command, usage. */
export function richResult(alert: Alert, overrides: Partial<InvestigationResult> = {}): InvestigationResult {
  const base = resultFor([alert]);
  return {
    ...base,
    rootCause: {
      id: 'gpu-noisy-neighbor',
      title: 'Another workload time-slices the GPU',
      confidence: 0.82,
      summary: 'batch-embed shares GPU 0 of gpu-node-1 with chat-api since 06:02.',
    },
    hypotheses: [
      {
        cause: 'gpu-noisy-neighbor',
        title: 'Another workload time-slices the GPU',
        class: 'gpu',
        score: 7,
        confidence: 0.82,
        candidateBecause: ['symptom'],
        evidence: [
          evidence('shared', 'supports', 'GPU 0 of gpu-node-1 runs 2 pods: chat-api and batch-embed', 'gpu_sharing'),
          evidence('thermal', 'contradicts', 'No thermal throttling on GPU 0', 'gpu_health'),
        ],
      },
    ],
    remediation: {
      runbook: 'gpu-noisy-neighbor',
      steps: [
        {
          title: 'Move the batch job off the serving GPU',
          command: 'kubectl -n batch scale deployment batch-embed --replicas=0',
          details: 'Or give it a node selector for the batch pool.',
        },
      ],
    },
    entities: { ...base.entities, namespace: alert.labels.namespace },
    notChecked: ['vLLM metrics: no series for the model'],
    usage: { modelCalls: 0, inputTokens: 0, outputTokens: 0, usd: 0, toolCalls: 6, queries: 9 },
    timings: { startedAt: '2026-11-26T06:05:00Z', durationMs: 2_400, entitiesMs: 200, checksMs: 1_900 },
    ...overrides,
  };
}

function evidence(check: string, verdict: Evidence['verdict'], sentence: string, tool: string): Evidence {
  const toolResult = { toolset: 'gpu/dcgm', tool, params: {}, status: 'success' as const, text: '', requests: [] };
  return {
    runbook: 'gpu-noisy-neighbor',
    check,
    verdict,
    weight: 2,
    required: false,
    sentence,
    tool: toolResult,
    facts: {},
  };
}

export interface Harness {
  site: StoreSite;
  /** Where the store is: open another harness there for a restart or a second replica. */
  place: string;
  store: InvestigationStore;
  jiraStore: JiraStore;
  outbox: Outbox;
  delivery: JiraDelivery;
  worker: OutboxWorker;
  events: JiraEvent[];
  logs: Array<{ level: number; msg: string; [key: string]: unknown }>;
  /** Accepts a firing group and records its finished investigation; returns the investigation id. */
  investigate(groupKey: string, alert: Alert, result?: InvestigationResult): Promise<string>;
  /** A resolved notification for the group. */
  resolve(groupKey: string, alert: Alert): Promise<string | undefined>;
  /** Waits until no jira item is pending or being sent. */
  settle(): Promise<void>;
  /** Stops the worker and closes the store (as a process would on exit). */
  close(): Promise<void>;
}

export interface HarnessOptions {
  standIn: JiraStandIn;
  jira?: Record<string, unknown>;
  /** SQLite by default. */
  site?: StoreSite;
  /** An existing place of the site (another replica, or a restart); a new one by default. */
  place?: string;
  delivery?: Partial<JiraDeliveryOptions>;
  start?: boolean;
}

export async function createHarness(options: HarnessOptions): Promise<Harness> {
  const site = options.site ?? sqliteSite();
  const place = options.place ?? (await site.create());
  const opened = await site.open(place);
  const { investigations: store, outbox, jira: jiraStore } = opened;
  const jira = jiraConfig(options.standIn.url, options.jira);
  const events: JiraEvent[] = [];
  const logs: Harness['logs'] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  let worker: OutboxWorker | undefined;
  const delivery = createJiraDelivery({
    jira,
    api: jira.dryRun ? undefined : createJiraClient(jira, ENV),
    store: jiraStore,
    outbox,
    investigations: store,
    logger,
    onEvent: (event) => events.push(event),
    indexLagMs: 200,
    wake: () => worker?.notify(),
    ...options.delivery,
  });
  worker = createOutboxWorker({
    outbox,
    channel: 'jira',
    deliver: delivery.deliver,
    logger,
    pollMs: 10,
    leaseMs: 300,
    backoff: { baseMs: 10, maxMs: 100 },
  });
  if (options.start !== false) worker.start();
  const harness: Harness = {
    site,
    place,
    store,
    jiraStore,
    outbox,
    delivery,
    worker,
    events,
    logs,
    async investigate(groupKey, alert, result) {
      const outcome = await store.accept([alert], {
        groupKey,
        groupStatus: 'firing',
        source: 'webhook',
        maxQueue: 100,
        maxAlertsPerGroup: 20,
      });
      const claimed = (await store.claimNext(LEASE))!;
      expect(claimed.id).toBe(outcome.investigationId);
      await store.finish(claimed.id, { ...(result ?? richResult(alert)), id: claimed.id }, LEASE.owner);
      await delivery.onInvestigationFinished(claimed.id);
      worker?.notify();
      return claimed.id;
    },
    async resolve(groupKey, alert) {
      const resolved = { ...alert, status: 'resolved' as const, endsAt: '2026-11-26T07:00:00Z' };
      const outcome = await store.accept([resolved], {
        groupKey,
        groupStatus: 'resolved',
        source: 'webhook',
        maxQueue: 100,
        maxAlertsPerGroup: 20,
      });
      if (outcome.investigationId) await delivery.onGroupResolved(outcome.investigationId);
      worker?.notify();
      return outcome.investigationId;
    },
    async settle() {
      for (let tries = 0; tries < 1_000; tries += 1) {
        const counts = await outbox.counts('jira');
        if (counts.pending === 0 && counts.sending === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`the Jira outbox did not settle: ${JSON.stringify(await outbox.counts('jira'))}`);
    },
    async close() {
      await worker?.stop();
      await opened.close();
    },
  };
  return harness;
}

export const GROUP = '{}:{alertname="ChatLatencyHigh"}';

export function chatAlert(labels: Record<string, string> = {}, startsAt = '2026-11-26T06:00:00Z'): Alert {
  return {
    ...makeAlert({ alertname: 'ChatLatencyHigh', namespace: 'chat', severity: 'critical', ...labels }, { startsAt }),
    generatorURL: 'http://prometheus.monitoring:9090/graph?g0.expr=histogram_quantile',
  };
}
