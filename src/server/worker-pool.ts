import type { AgentEvent } from '../agent/run-agent.js';
import type { Alert } from '../core/alert.js';
import type { InvestigationResult } from '../core/investigation.js';
import type { Logger } from '../core/logger.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { InvestigationStore } from '../ledger/investigation-types.js';
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
  /** How long a claim holds without renewal; renewed every third of it while the investigation runs. */
  leaseMs?: number;
  /** An investigation's progress (the agent's steps), for deliveries that show it as it happens. */
  onProgress?: (id: string, event: AgentEvent) => void;
  /** An investigation was recorded as finished or failed. */
  onFinished?: (id: string) => void | Promise<void>;
}

/**
 * Workers that take queued investigations from the store, run them and record the result. The
 * store is the queue, so a crash loses nothing: a claim is a lease this process renews while it
 * works, and work whose lease ran out (a replica killed) is claimed again by whoever is alive.
 */
export function createWorkerPool(options: WorkerPoolOptions) {
  const { store, logger, metrics } = options;
  const lease = { owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, ms: options.leaseMs ?? 30_000 };
  let renewer: NodeJS.Timeout | undefined;
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
        if (await store.finish(id, { ...result, id }, lease.owner)) {
          metrics.investigations.inc({ mode: result.mode, status: result.status });
          metrics.investigationDuration.observe({ mode: result.mode }, (performance.now() - started) / 1000);
          await options.onFinished?.(id);
        }
        return;
      }
      logger.error({ investigation: id, error: failure?.message }, 'investigation failed');
      await store.fail(id, failure?.message ?? 'unknown error', lease.owner);
      metrics.investigations.inc({ mode: 'deterministic', status: 'failed' });
      await options.onFinished?.(id);
    } catch (error) {
      // The store itself failed (disk full, closed): the job stays running and is requeued at the next start.
      logger.error({ investigation: id, error: (error as Error).message }, 'could not record the investigation');
    }
  }

  async function loop() {
    while (!stopping) {
      let job: Awaited<ReturnType<InvestigationStore['claimNext']>>;
      try {
        job = await store.claimNext(lease);
        metrics.queueDepth.set(await store.queueDepth());
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
    async start() {
      const recovered = await store.recover();
      if (recovered > 0) logger.warn({ recovered }, 'requeued investigations left running by a previous process');
      // The lease is renewed well before it runs out; a renewal that fails is tried again at the next tick.
      renewer = setInterval(() => {
        if (inFlight.size === 0) return;
        store.renew([...inFlight.keys()], lease).catch((error: unknown) => {
          logger.warn({ error: (error as Error).message }, 'could not renew the leases of running investigations');
        });
      }, lease.ms / 3);
      renewer.unref();
      for (let index = 0; index < options.concurrency; index += 1) loops.push(loop());
    },
    /** Who this process is in the store's leases. */
    owner: lease.owner,
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
        await store.requeue(id, lease.owner).catch((error: unknown) => {
          // Not requeued: its lease runs out, and the next claimer takes it.
          logger.warn({ investigation: id, error: (error as Error).message }, 'could not requeue at shutdown');
        });
        logger.warn({ investigation: id }, 'requeued at shutdown');
      }
      clearInterval(renewer);
      inFlight.clear();
      closed = true;
    },
    inFlight: () => inFlight.size,
  };
}

export type WorkerPool = ReturnType<typeof createWorkerPool>;
