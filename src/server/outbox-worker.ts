import type { Logger } from '../core/logger.js';
import type { ClaimedItem, DeliveryOutcome, Outbox } from '../ledger/outbox.js';

// Declared with the outbox, so that integrations' adapters can name it without importing the server.
export type { DeliveryOutcome };

export interface OutboxWorkerOptions {
  outbox: Outbox;
  channel: string;
  deliver: (item: ClaimedItem) => Promise<DeliveryOutcome>;
  logger: Logger;
  /** How often an idle worker looks for due items when nobody wakes it. */
  pollMs?: number;
  /** How long one delivery may take before another process may take the item over. */
  leaseMs?: number;
  /** Exponential backoff between attempts, unless the receiver said when (Retry-After). */
  backoff?: { baseMs: number; maxMs: number };
  /** Called after every attempt, for /metrics. */
  onOutcome?: (item: ClaimedItem, outcome: DeliveryOutcome) => void;
}

export interface OutboxWorker {
  start(): void;
  /** Wakes the worker: something was queued. */
  notify(): void;
  /** Finishes the delivery in flight and stops. */
  stop(): Promise<void>;
}

/** Delay before the next attempt: the receiver's Retry-After, else base × 2^(attempts-1), capped. */
export function retryDelay(attempts: number, backoff: { baseMs: number; maxMs: number }, retryAfterMs?: number) {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, backoff.maxMs * 4);
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
}

/** Delivers a channel's outbox one item at a time, in the order they were queued, until stopped. */
export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { outbox, channel, logger } = options;
  const backoff = options.backoff ?? { baseMs: 1_000, maxMs: 5 * 60_000 };
  const leaseMs = options.leaseMs ?? 60_000;
  let stopping = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  const nap = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, options.pollMs ?? 1_000);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });

  async function attempt(item: ClaimedItem) {
    let outcome: DeliveryOutcome;
    try {
      outcome = await options.deliver(item);
    } catch (error) {
      outcome = { status: 'retry', error: (error as Error).message };
    }
    if (outcome.status === 'delivered') await outbox.complete(item, outcome.result ?? null);
    else if (outcome.status === 'failed') {
      await outbox.fail(item, outcome.error);
      logger[outcome.reported ? 'debug' : 'error'](
        { channel, key: item.key, error: outcome.error },
        `${channel}: message cannot be delivered`,
      );
    } else {
      const delayMs = retryDelay(item.attempts, backoff, outcome.retryAfterMs);
      await outbox.retry(item, outcome.error, delayMs);
      logger.warn(
        { channel, key: item.key, attempts: item.attempts, delayMs, error: outcome.error },
        `${channel}: retrying`,
      );
    }
    options.onOutcome?.(item, outcome);
  }

  async function run() {
    while (!stopping) {
      let item: ClaimedItem | undefined;
      try {
        [item] = await outbox.claim(channel, 1, leaseMs);
      } catch (error) {
        // The store is unreachable for a moment: the worker waits and looks again.
        logger.warn({ channel, error: (error as Error).message }, `${channel}: could not read the outbox`);
      }
      if (item) await attempt(item);
      else await nap();
    }
  }

  return {
    start() {
      loop ??= run().catch((error: unknown) => logger.error({ channel, error }, `${channel}: outbox worker stopped`));
    },
    notify: () => wake?.(),
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
