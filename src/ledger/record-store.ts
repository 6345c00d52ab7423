import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { HolmesError } from '../core/errors.js';
import { processAlive } from './process-alive.js';
import type { SqlRunner } from './sql-runner.js';
import { storedJson, storedText } from './stored-text.js';

export type RecordState = 'running' | 'completed' | 'degraded' | 'budget-exceeded' | 'failed';

export interface RecordRow {
  id: string;
  kind: 'alert' | 'question';
  subject: string;
  threadId: string | null;
  team: string | null;
  namespace: string | null;
  alertname: string | null;
  askedBy: string | null;
  state: RecordState;
  mode: string | null;
  pid: number;
  host: string;
  startedAt: string;
  finishedAt: string | null;
  rootCause: string | null;
  error: string | null;
  inputTokens: number;
  outputTokens: number;
  usd: number;
}

export interface RecordStep {
  seq: number;
  at: string;
  kind: string;
  durationMs: number | null;
  data: Record<string, unknown>;
}

export interface BeginRecord {
  id?: string;
  kind: 'alert' | 'question';
  subject: string;
  threadId?: string | undefined;
  team?: string | undefined;
  namespace?: string | undefined;
  alertname?: string | undefined;
  askedBy?: string | undefined;
}

export interface FinishRecord {
  state: Exclude<RecordState, 'running'>;
  mode: string;
  rootCause: string | null;
  inputTokens: number;
  outputTokens: number;
  usd: number;
  result: unknown;
  error?: string | undefined;
}

export type RecordWithSteps = RecordRow & { result: unknown; steps: RecordStep[] };

/** The agent's investigation records, as both stores keep them. */
export interface RecordStore {
  begin(record: BeginRecord): Promise<string>;
  /**
   * Appends one step; resolves with its sequence number. What is appended is read at the call, and
   * the steps of one record are written in call order, so a caller need not wait for each.
   */
  appendStep(id: string, kind: string, data: Record<string, unknown>, durationMs?: number): Promise<number>;
  finish(id: string, outcome: FinishRecord): Promise<void>;
  /** Finishes a record with a result that spent no tokens (deterministic, or refused a model). */
  finishAtZeroTokens(
    id: string,
    result: { status: FinishRecord['state']; mode: string; rootCause: { id: string } | null },
  ): Promise<void>;
  fail(id: string, error: string): Promise<void>;
  /** Running records whose process is gone are failed: killed or crashed mid-investigation. */
  reapOrphans(): Promise<number>;
  list(filter?: { limit?: number; state?: string | undefined; team?: string | undefined }): Promise<RecordRow[]>;
  /** A record with its steps, by id or unique id prefix. */
  get(idOrPrefix: string): Promise<RecordWithSteps>;
}

const COLUMNS = `id, kind, subject, thread_id AS "threadId", team, namespace, alertname, asked_by AS "askedBy", state, mode, pid, host,
  started_at AS "startedAt", finished_at AS "finishedAt", root_cause AS "rootCause", error, input_tokens AS "inputTokens",
  output_tokens AS "outputTokens", usd`;

/**
 * Investigation records on either store: written as `running` before the first step, each step
 * appended as it happens, so a process that dies leaves a record that is then marked failed, never
 * a lost one.
 */
export function createRecordStore(sql: SqlRunner, options: { now?: () => Date } = {}): RecordStore {
  const now = options.now ?? (() => new Date());
  const host = hostname();
  const order = sql.dialect === 'sqlite' ? 'rowid' : 'seq';
  /** The last step write of each record in flight: the next one goes after it. */
  const writing = new Map<string, Promise<unknown>>();

  /** Fails a record that is still running; how many rows changed (0 or 1). */
  const markFailed = (id: string, error: string) =>
    sql.run(
      `UPDATE agent_records SET state = 'failed', finished_at = ?, error = ? WHERE id = ? AND state = 'running'`,
      [now().toISOString(), storedText(error), id],
    );

  async function reapOrphans(): Promise<number> {
    let reaped = 0;
    for (const row of await sql.all<{ id: string; pid: number; host: string }>(
      `SELECT id, pid, host FROM agent_records WHERE state = 'running'`,
    )) {
      if (row.pid === process.pid && row.host === host) continue;
      if (processAlive(row.pid, row.host)) continue;
      reaped += await markFailed(
        row.id,
        `process ${row.pid} on ${row.host} ended before the investigation finished (killed or crashed)`,
      );
    }
    return reaped;
  }

  async function resolveId(idOrPrefix: string): Promise<string> {
    if (await sql.get(`SELECT id FROM agent_records WHERE id = ?`, [idOrPrefix])) return idOrPrefix;
    const matches = await sql.all<{ id: string }>(
      `SELECT id FROM agent_records WHERE id LIKE ? || '%' ORDER BY started_at DESC LIMIT 2`,
      [idOrPrefix],
    );
    if (matches.length === 1) return matches[0]!.id;
    if (matches.length > 1) {
      throw new HolmesError('USAGE', `The id prefix ${idOrPrefix} matches several investigations.`, {
        fix: 'Give more characters of the id (`holmes investigations list` shows them).',
      });
    }
    throw new HolmesError('USAGE', `No investigation record ${idOrPrefix}.`, {
      fix: 'Run `holmes investigations list` for the ids (records live in the configured store: storage.path or storage.postgres).',
      details: { notFound: true },
    });
  }

  async function finish(id: string, outcome: FinishRecord): Promise<void> {
    await writing.get(id)?.catch(() => undefined);
    await sql.run(
      `UPDATE agent_records SET state = ?, mode = ?, finished_at = ?, root_cause = ?, error = ?,
         input_tokens = ?, output_tokens = ?, usd = ?, result = ? WHERE id = ?`,
      [
        outcome.state,
        outcome.mode,
        now().toISOString(),
        outcome.rootCause,
        storedText(outcome.error ?? null),
        outcome.inputTokens,
        outcome.outputTokens,
        outcome.usd,
        storedJson(outcome.result),
        id,
      ],
    );
  }

  return {
    async begin(record) {
      await reapOrphans();
      const id = record.id ?? randomUUID();
      await sql.run(
        `INSERT INTO agent_records (id, kind, subject, thread_id, team, namespace, alertname, asked_by, state, pid, host, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)`,
        [
          id,
          record.kind,
          storedText(record.subject),
          record.threadId ?? null,
          storedText(record.team ?? null),
          storedText(record.namespace ?? null),
          storedText(record.alertname ?? null),
          storedText(record.askedBy ?? null),
          process.pid,
          host,
          now().toISOString(),
        ],
      );
      return id;
    },
    appendStep(id, kind, data, durationMs) {
      const values = [
        id,
        now().toISOString(),
        kind,
        durationMs === undefined ? null : Math.round(durationMs),
        storedJson(data),
        id,
      ];
      const write = (writing.get(id) ?? Promise.resolve())
        .catch(() => undefined)
        .then(async () => {
          const row = await sql.get<{ seq: number }>(
            `INSERT INTO agent_record_steps (record_id, seq, at, kind, duration_ms, data)
             SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, ?, ? FROM agent_record_steps WHERE record_id = ? RETURNING seq`,
            values,
          );
          return row!.seq;
        });
      writing.set(id, write);
      // Forgotten once written, unless another step has queued behind it.
      void write.then(
        () => writing.get(id) === write && writing.delete(id),
        () => writing.get(id) === write && writing.delete(id),
      );
      return write;
    },
    finish,
    finishAtZeroTokens: (id, result) =>
      finish(id, {
        state: result.status,
        mode: result.mode,
        rootCause: result.rootCause?.id ?? null,
        inputTokens: 0,
        outputTokens: 0,
        usd: 0,
        result,
      }),
    async fail(id, error) {
      await writing.get(id)?.catch(() => undefined);
      await markFailed(id, error);
    },
    reapOrphans,
    async list(filter = {}) {
      await reapOrphans();
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.state) (where.push('state = ?'), params.push(filter.state));
      if (filter.team) (where.push('team = ?'), params.push(filter.team));
      params.push(Math.min(filter.limit ?? 50, 1000));
      return sql.all<RecordRow>(
        `SELECT ${COLUMNS} FROM agent_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY started_at DESC, ${order} DESC LIMIT ?`,
        params,
      );
    },
    async get(idOrPrefix) {
      await reapOrphans();
      const id = await resolveId(idOrPrefix);
      const row = (await sql.get<RecordRow & { result: string | null }>(
        `SELECT ${COLUMNS}, result FROM agent_records WHERE id = ?`,
        [id],
      ))!;
      const steps = await sql.all<Omit<RecordStep, 'data'> & { data: string }>(
        `SELECT seq, at, kind, duration_ms AS "durationMs", data FROM agent_record_steps WHERE record_id = ? ORDER BY seq`,
        [id],
      );
      return {
        ...row,
        result: row.result ? (JSON.parse(row.result) as unknown) : null,
        steps: steps.map((step) => ({ ...step, data: JSON.parse(step.data) as Record<string, unknown> })),
      };
    },
  };
}
