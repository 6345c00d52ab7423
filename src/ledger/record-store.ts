import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { HolmesError } from '../core/errors.js';
import type { Db } from './open-database.js';
import { processAlive } from './process-alive.js';
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

const COLUMNS = `id, kind, subject, thread_id AS threadId, team, namespace, alertname, asked_by AS askedBy, state, mode, pid, host,
  started_at AS startedAt, finished_at AS finishedAt, root_cause AS rootCause, error, input_tokens AS inputTokens, output_tokens AS outputTokens, usd`;

/**
 * Investigation records: written as `running` before the first step, each step appended as it
 * happens, so a process that dies leaves a record that is then marked failed, never a lost one.
 */
export function createRecordStore(db: Db, options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());
  const host = hostname();
  const statements = {
    begin: db.prepare(
      `INSERT INTO agent_records (id, kind, subject, thread_id, team, namespace, alertname, asked_by, state, pid, host, started_at)
       VALUES (@id, @kind, @subject, @threadId, @team, @namespace, @alertname, @askedBy, 'running', @pid, @host, @startedAt)`,
    ),
    step: db.prepare(
      `INSERT INTO agent_record_steps (record_id, seq, at, kind, duration_ms, data)
       VALUES (@id, (SELECT coalesce(max(seq), 0) + 1 FROM agent_record_steps WHERE record_id = @id), @at, @kind, @durationMs, @data) RETURNING seq`,
    ),
    finish: db.prepare(
      `UPDATE agent_records SET state = @state, mode = @mode, finished_at = @at, root_cause = @rootCause, error = @error,
       input_tokens = @inputTokens, output_tokens = @outputTokens, usd = @usd, result = @result WHERE id = @id`,
    ),
    fail: db.prepare(
      `UPDATE agent_records SET state = 'failed', finished_at = @at, error = @error WHERE id = @id AND state = 'running'`,
    ),
    running: db.prepare(`SELECT id, pid, host FROM agent_records WHERE state = 'running'`),
    get: db.prepare(`SELECT ${COLUMNS}, result FROM agent_records WHERE id = ?`),
    byPrefix: db.prepare(`SELECT id FROM agent_records WHERE id LIKE ? || '%' ORDER BY started_at DESC LIMIT 2`),
    steps: db.prepare(
      `SELECT seq, at, kind, duration_ms AS durationMs, data FROM agent_record_steps WHERE record_id = ? ORDER BY seq`,
    ),
  };

  /** Running records whose process is gone are failed: killed or crashed mid-investigation. */
  function reapOrphans(): number {
    let reaped = 0;
    for (const row of statements.running.all() as Array<{ id: string; pid: number; host: string }>) {
      if (row.pid === process.pid && row.host === host) continue;
      if (processAlive(row.pid, row.host)) continue;
      reaped += statements.fail.run({
        id: row.id,
        at: now().toISOString(),
        error: `process ${row.pid} on ${row.host} ended before the investigation finished (killed or crashed)`,
      }).changes;
    }
    return reaped;
  }

  function resolveId(idOrPrefix: string): string {
    if (statements.get.get(idOrPrefix)) return idOrPrefix;
    const matches = statements.byPrefix.all(idOrPrefix) as Array<{ id: string }>;
    if (matches.length === 1) return matches[0]!.id;
    if (matches.length > 1) {
      throw new HolmesError('USAGE', `The id prefix ${idOrPrefix} matches several investigations.`, {
        fix: 'Give more characters of the id (`holmes investigations list` shows them).',
      });
    }
    throw new HolmesError('USAGE', `No investigation record ${idOrPrefix}.`, {
      fix: 'Run `holmes investigations list` for the ids (records live in storage.path).',
      details: { notFound: true },
    });
  }

  function finish(id: string, outcome: FinishRecord): void {
    statements.finish.run({
      id,
      state: outcome.state,
      mode: outcome.mode,
      at: now().toISOString(),
      rootCause: outcome.rootCause,
      error: storedText(outcome.error ?? null),
      inputTokens: outcome.inputTokens,
      outputTokens: outcome.outputTokens,
      usd: outcome.usd,
      result: storedJson(outcome.result),
    });
  }

  reapOrphans();
  return {
    begin(record: BeginRecord): string {
      const id = record.id ?? randomUUID();
      statements.begin.run({
        id,
        kind: record.kind,
        subject: storedText(record.subject),
        threadId: record.threadId ?? null,
        team: storedText(record.team ?? null),
        namespace: storedText(record.namespace ?? null),
        alertname: storedText(record.alertname ?? null),
        askedBy: storedText(record.askedBy ?? null),
        pid: process.pid,
        host,
        startedAt: now().toISOString(),
      });
      return id;
    },
    /** Appends one step; returns its sequence number. */
    appendStep(id: string, kind: string, data: Record<string, unknown>, durationMs?: number): number {
      const row = statements.step.get({
        id,
        at: now().toISOString(),
        kind,
        durationMs: durationMs === undefined ? null : Math.round(durationMs),
        data: storedJson(data),
      }) as { seq: number };
      return row.seq;
    },
    finish,
    /** Finishes a record with a result that spent no tokens (deterministic, or refused a model). */
    finishAtZeroTokens(
      id: string,
      result: { status: FinishRecord['state']; mode: string; rootCause: { id: string } | null },
    ): void {
      finish(id, {
        state: result.status,
        mode: result.mode,
        rootCause: result.rootCause?.id ?? null,
        inputTokens: 0,
        outputTokens: 0,
        usd: 0,
        result,
      });
    },
    fail(id: string, error: string): void {
      statements.fail.run({ id, at: now().toISOString(), error: storedText(error) });
    },
    reapOrphans,
    list(filter: { limit?: number; state?: string | undefined; team?: string | undefined } = {}): RecordRow[] {
      reapOrphans();
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: Math.min(filter.limit ?? 50, 1000) };
      if (filter.state) (where.push('state = @state'), (params.state = filter.state));
      if (filter.team) (where.push('team = @team'), (params.team = filter.team));
      return db
        .prepare(
          `SELECT ${COLUMNS} FROM agent_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, rowid DESC LIMIT @limit`,
        )
        .all(params) as RecordRow[];
    },
    /** A record with its steps, by id or unique id prefix. */
    get(idOrPrefix: string): RecordRow & { result: unknown; steps: RecordStep[] } {
      reapOrphans();
      const id = resolveId(idOrPrefix);
      const row = statements.get.get(id) as RecordRow & { result: string | null };
      const steps = (statements.steps.all(id) as Array<Omit<RecordStep, 'data'> & { data: string }>).map((step) => ({
        ...step,
        data: JSON.parse(step.data) as Record<string, unknown>,
      }));
      return { ...row, result: row.result ? (JSON.parse(row.result) as unknown) : null, steps };
    },
  };
}

export type RecordStore = ReturnType<typeof createRecordStore>;
