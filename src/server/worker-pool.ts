import type { AgentEvent } from '../agent/run-agent.js';
import type { Alert } from '../core/alert.js';
import type { InvestigationResult } from '../core/investigation.js';
import type { Logger } from '../core/logger.js';
import type { InvestigationStore } from '../ledger/investigation-store.js';
import type { ServerMetrics } from './server-metrics.js';

/** The queued investigation a run is for: who asked for it (a re-run from Slack), and where its progress goes. */
export interface InvestigationJob {
  id: string;
  requestedBy: string | null;
  onEvent: (event: AgentEvent) => void;
}

export type RunInvestigation = (alerts: Alert[], job: InvestigationJob) => Promise<InvestigationResult>;

export interface WorkerPoolOptions {
  store: InvestigationStore;
  run: RunInvestigation;
  concurrency: number;
  logger: Logger;
  metrics: ServerMetrics;
  /** How often idle workers look at the queue when nobody wakes them. */
  pollMs?: number;
  /** An investigation's progress (the agent's steps), for deliveries that show it as it happens. */
  onProgress?: (id: string, event: AgentEvent) => void;
  /** An investigation was recorded as finished or failed. */
  onFinished?: (id: string) => void;
}

/**
 * Workers that take queued investigations from the store, run them and record the result. The
 * store is the queue, so a crash loses nothing: what was running is queued again at start.
 */
export function createWorkerPool(options: WorkerPoolOptions) {
  const { store, logger, metrics } = options;
  let stopping = false;
  /** Set once stop() has requeued what was left: from then on nothing writes to the store. */
  let closed = false;
  const inFlight = new Map<string, Promise<void>>();
  const sleepers = new Set<() => void>();
  const loops: Array<Promise<void>> = [];

  const wake = () => {
    for (const sleeper of sleepers) sleeper();
    sleepers.clear();
  };
  const nap = () =>
    new Promise<void>((resolve) => {
      const sleeper = () => {
        clearTimeout(timer);
        resolve();
      };
      // A nap that ends by itself leaves the set too: an idle server must not grow it forever.
      const timer = setTimeout(() => {
        sleepers.delete(sleeper);
        resolve();
      }, options.pollMs ?? 500);
      sleepers.add(sleeper);
    });

  async function work(id: string, alerts: Alert[], requestedBy: string | null) {
    const started = performance.now();
    let result: InvestigationResult | undefined;
    let failure: Error | undefined;
    try {
      if (alerts.length === 0) throw new Error('the investigation has no alerts attached');
      result = await options.run(alerts, {
        id,
        requestedBy,
        onEvent: (event) => options.onProgress?.(id, event),
      });
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    // Past the shutdown grace the job was requeued and the store may be closed: its next run records it.
    if (closed) return;
    try {
      if (result) {
        // finish() only takes a running job: one requeued at shutdown keeps its later, fresh run.
        if (store.finish(id, { ...result, id })) {
          metrics.investigations.inc({ mode: result.mode, status: result.status });
          metrics.investigationDuration.observe({ mode: result.mode }, (performance.now() - started) / 1000);
          options.onFinished?.(id);
        }
        return;
      }
      logger.error({ investigation: id, error: failure?.message }, 'investigation failed');
      store.fail(id, failure?.message ?? 'unknown error');
      metrics.investigations.inc({ mode: 'deterministic', status: 'failed' });
      options.onFinished?.(id);
    } catch (error) {
      // The store itself failed (disk full, closed): the job stays running and is requeued at the next start.
      logger.error({ investigation: id, error: (error as Error).message }, 'could not record the investigation');
    }
  }

  async function loop() {
    while (!stopping) {
      let job: ReturnType<InvestigationStore['claimNext']>;
      try {
        job = store.claimNext();
        metrics.queueDepth.set(store.queueDepth());
      } catch (error) {
        // A busy or failing store must not end the worker; it tries again after a nap.
        logger.error({ error: (error as Error).message }, 'could not take work from the queue');
        await nap();
        continue;
      }
      if (!job) {
        await nap();
        continue;
      }
      const task = work(job.id, job.alerts, job.requestedBy);
      inFlight.set(job.id, task);
      await task;
      inFlight.delete(job.id);
    }
  }

  return {
    start() {
      const recovered = store.recover();
      if (recovered > 0) logger.warn({ recovered }, 'requeued investigations left running by a previous process');
      for (let index = 0; index < options.concurrency; index += 1) loops.push(loop());
    },
    /** New work was queued: wake idle workers now rather than at their next poll. */
    notify: wake,
    /** Stops taking work; waits for in-flight investigations up to `graceMs`, then requeues the rest. */
    async stop(graceMs: number) {
      stopping = true;
      wake();
      const pending = [...inFlight.entries()];
      const grace = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
      await Promise.race([Promise.all(pending.map(([, task]) => task)), grace]);
      for (const [id] of inFlight) {
        store.requeue(id);
        logger.warn({ investigation: id }, 'requeued at shutdown');
      }
      inFlight.clear();
      closed = true;
    },
    inFlight: () => inFlight.size,
  };
}

export type WorkerPool = ReturnType<typeof createWorkerPool>;
