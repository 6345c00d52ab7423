import type { Alert } from '../core/alert.js';
import type { AcceptOptions, AcceptOutcome, InvestigationStore } from '../ledger/investigation-types.js';

interface Pending {
  alerts: Alert[];
  options: AcceptOptions;
  resolve: (outcome: AcceptOutcome) => void;
  reject: (error: Error) => void;
}

/** Alerts of one notification written per commit: a big notification becomes several short turns. */
const ALERTS_PER_COMMIT = 500;

/** The outcome of a notification written in several commits, as if it had been one. */
function combine(outcomes: AcceptOutcome[]): AcceptOutcome {
  return outcomes.reduce((total, outcome) => ({
    accepted: total.accepted + outcome.accepted,
    duplicates: total.duplicates + outcome.duplicates,
    investigationId: outcome.investigationId ?? total.investigationId,
    created: total.created || outcome.created,
    resolvedUpdated: total.resolvedUpdated + outcome.resolvedUpdated,
    queueFull: total.queueFull || outcome.queueFull,
  }));
}

/**
 * Group commit: the notifications that arrive in one turn of the event loop are written in one
 * transaction (each in a savepoint of its own), and each is answered only after that commit.
 * Under a storm this saves a commit per request; alone, a notification waits one turn at most.
 * A notification of more than ALERTS_PER_COMMIT alerts is written a slice per commit, so other
 * requests (acks, health checks) are served in between, and answered after its last slice. Should
 * the process die in between, the sender had no answer and retries: the slices already written
 * are then duplicates.
 */
export function createBatchAccept(store: Pick<InvestigationStore, 'acceptMany'>) {
  let pending: Pending[] = [];
  const flush = async () => {
    const batch = pending;
    pending = [];
    let outcomes: Array<AcceptOutcome | Error>;
    try {
      outcomes = await store.acceptMany(batch.map(({ alerts, options }) => ({ alerts, options })));
    } catch (error) {
      // The commit itself failed (disk full, store closed): nobody in the batch was persisted.
      for (const item of batch) item.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome instanceof Error) item.reject(outcome);
      else item.resolve(outcome);
    });
  };
  const enqueue = (alerts: Alert[], options: AcceptOptions): Promise<AcceptOutcome> =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(() => void flush());
      pending.push({ alerts, options, resolve, reject });
    });
  return async (alerts: Alert[], options: AcceptOptions): Promise<AcceptOutcome> => {
    if (alerts.length <= ALERTS_PER_COMMIT) return enqueue(alerts, options);
    const outcomes: AcceptOutcome[] = [];
    for (let start = 0; start < alerts.length; start += ALERTS_PER_COMMIT) {
      const last = start + ALERTS_PER_COMMIT >= alerts.length;
      // The group is resolved once, with the notification's last slice.
      const slice = await enqueue(alerts.slice(start, start + ALERTS_PER_COMMIT), {
        ...options,
        groupStatus: last ? options.groupStatus : 'firing',
      });
      outcomes.push(slice);
      if (slice.queueFull) break;
    }
    return combine(outcomes);
  };
}
