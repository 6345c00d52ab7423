import type { Alert } from '../core/alert.js';
import { HolmesError } from '../core/errors.js';
import type { InvestigationResult } from '../core/investigation.js';
import type { InvestigationRow } from '../ledger/investigation-store.js';
import type { Store } from '../ledger/open-store.js';
import type { RecordRow } from '../ledger/record-store.js';

/** One investigation, wherever it is kept: the server's queue or the agent's records. */
export interface ArchivedInvestigation {
  id: string;
  /** `queue`: received by holmes serve; `record`: run by the agent, `holmes ask` or MCP. */
  store: 'queue' | 'record';
  kind: 'alert' | 'question';
  subject: string | null;
  state: string;
  mode: string | null;
  team: string | null;
  namespace: string | null;
  rootCause: string | null;
  startedAt: string;
  finishedAt: string | null;
  requestedBy: string | null;
}

export interface ArchiveFilter {
  state?: string | undefined;
  alertname?: string | undefined;
  team?: string | undefined;
  limit?: number | undefined;
}

export interface RecordMeta {
  team: string;
  requestedBy: string;
}

function fromQueue(row: InvestigationRow): ArchivedInvestigation {
  return {
    id: row.id,
    store: 'queue',
    kind: 'alert',
    subject: row.alertname,
    state: row.state,
    mode: row.mode,
    team: row.team,
    namespace: row.namespace,
    rootCause: row.rootCause,
    startedAt: row.createdAt,
    finishedAt: row.finishedAt,
    requestedBy: row.source,
  };
}

function fromRecord(row: RecordRow): ArchivedInvestigation {
  return {
    id: row.id,
    store: 'record',
    kind: row.kind,
    subject: row.kind === 'alert' ? (row.alertname ?? row.subject) : row.subject,
    state: row.state,
    mode: row.mode,
    team: row.team,
    namespace: row.namespace,
    rootCause: row.rootCause,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    requestedBy: row.askedBy,
  };
}

/**
 * The one place that reads investigations for MCP: the server's queue and the agent's records,
 * both in the configured store (SQLite or PostgreSQL).
 */
export function createInvestigationArchive(store: Pick<Store, 'investigations' | 'records'>) {
  const { investigations: queue, records } = store;

  async function list(filter: ArchiveFilter = {}): Promise<ArchivedInvestigation[]> {
    const limit = Math.min(filter.limit ?? 20, 100);
    const queued = await queue.list({
      limit,
      ...(filter.state ? { state: filter.state } : {}),
      ...(filter.alertname ? { alertname: filter.alertname } : {}),
      ...(filter.team ? { team: filter.team } : {}),
    });
    // The record store has no alertname filter of its own: ask for more and filter here.
    const recorded = (
      await records.list({ limit: filter.alertname ? 1000 : limit, state: filter.state, team: filter.team })
    ).filter((row) => !filter.alertname || row.alertname === filter.alertname);
    return [...queued.map(fromQueue), ...recorded.map(fromRecord)]
      .sort((left, right) => right.startedAt.localeCompare(left.startedAt))
      .slice(0, limit);
  }

  /** By id, or by a unique id prefix among the agent's records; undefined when neither store has it. */
  async function get(
    idOrPrefix: string,
  ): Promise<{ investigation: ArchivedInvestigation; result: InvestigationResult | null } | undefined> {
    const queued = await queue.get(idOrPrefix);
    if (queued) return { investigation: fromQueue(queued), result: queued.result };
    try {
      const record = await records.get(idOrPrefix);
      return { investigation: fromRecord(record), result: record.result as InvestigationResult | null };
    } catch (error) {
      // Not found is an answer; several matches is a question back to the caller.
      if (HolmesError.isInstance(error) && error.details.notFound === true) return undefined;
      throw error;
    }
  }

  /** Runs a deterministic investigation as a record (running first, then its result), so it can be listed and read back. */
  async function record(
    alert: Alert,
    meta: RecordMeta,
    run: () => Promise<InvestigationResult>,
  ): Promise<InvestigationResult> {
    const id = await records.begin({
      kind: 'alert',
      subject: alert.labels.alertname ?? alert.fingerprint,
      team: meta.team,
      namespace: alert.labels.namespace,
      alertname: alert.labels.alertname,
      askedBy: meta.requestedBy,
    });
    try {
      const result = { ...(await run()), id };
      await records.finishAtZeroTokens(id, result);
      return result;
    } catch (error) {
      await records.fail(id, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  return { list, get, record };
}

export type InvestigationArchive = ReturnType<typeof createInvestigationArchive>;
