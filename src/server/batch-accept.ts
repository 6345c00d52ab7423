import type { Alert } from '../core/alert.js';
import type { AcceptOptions, AcceptOutcome, InvestigationStore } from '../ledger/investigation-store.js';

interface Pending {
  alerts: Alert[];
  options: AcceptOptions;
  resolve: (outcome: AcceptOutcome) => void;
  reject: (error: Error) => void;
}

/**
 * Group commit: the notifications that arrive in one turn of the event loop are written in one
 * transaction (each in a savepoint of its own), and each is answered only after that commit.
 * Under a storm this saves a commit per request; alone, a notification waits one turn at most.
 */
export function createBatchAccept(store: Pick<InvestigationStore, 'acceptMany'>) {
  let pending: Pending[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    let outcomes: Array<AcceptOutcome | Error>;
    try {
      outcomes = store.acceptMany(batch.map(({ alerts, options }) => ({ alerts, options })));
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
  return (alerts: Alert[], options: AcceptOptions): Promise<AcceptOutcome> =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ alerts, options, resolve, reject });
    });
}
