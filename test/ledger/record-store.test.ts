import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/ledger/open-database.js';
import { createRecordStore } from '../../src/ledger/record-store.js';

let db: Db;

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('createRecordStore', () => {
  beforeEach(() => {
    db = openDatabase({ path: ':memory:' });
  });
  afterEach(() => db.close());

  it('keeps steps in order with their data and finishes the record with its result', () => {
    const records = createRecordStore(db);
    const id = records.begin({ kind: 'question', subject: 'why?', team: 'chat', askedBy: 'cli:alice' });
    expect(records.appendStep(id, 'admission', { mode: 'llm' })).toBe(1);
    expect(records.appendStep(id, 'tool-call', { name: 'gpu_sharing', output: 'GPU 3 shared' }, 12.6)).toBe(2);
    expect(records.get(id).state).toBe('running');
    records.finish(id, {
      state: 'completed',
      mode: 'llm',
      rootCause: 'gpu-noisy-neighbor',
      inputTokens: 10,
      outputTokens: 2,
      usd: 0.001,
      result: { ok: true },
    });
    const record = records.get(id);
    expect(record).toMatchObject({
      state: 'completed',
      rootCause: 'gpu-noisy-neighbor',
      inputTokens: 10,
      result: { ok: true },
      askedBy: 'cli:alice',
    });
    expect(record.steps).toMatchObject([
      { seq: 1, kind: 'admission', data: { mode: 'llm' }, durationMs: null },
      { seq: 2, kind: 'tool-call', data: { name: 'gpu_sharing', output: 'GPU 3 shared' }, durationMs: 13 },
    ]);
  });

  it('marks a running record failed when the process that wrote it is gone, on start and on read', () => {
    const records = createRecordStore(db);
    const mine = records.begin({ kind: 'alert', subject: 'InferenceP99High' });
    const orphan = records.begin({ kind: 'alert', subject: 'GpuXid' });
    const pid = deadPid();
    db.prepare('UPDATE agent_records SET pid = ? WHERE id = ?').run(pid, orphan);
    expect(records.list().find((row) => row.id === orphan)).toMatchObject({
      state: 'failed',
      error: expect.stringContaining(`process ${pid}`),
    });
    // This process's own running record is left alone.
    expect(records.get(mine).state).toBe('running');
    const again = records.begin({ kind: 'alert', subject: 'other' });
    db.prepare('UPDATE agent_records SET pid = ? WHERE id = ?').run(pid, again);
    expect(createRecordStore(db).get(again).state).toBe('failed');
  });

  it('finds a record by a unique id prefix and names the fix for an unknown or ambiguous one', () => {
    const records = createRecordStore(db);
    const id = records.begin({ id: 'abc123', kind: 'question', subject: 'q' });
    records.begin({ id: 'abd456', kind: 'question', subject: 'q' });
    expect(records.get('abc').id).toBe(id);
    expect(() => records.get('ab')).toThrow(/matches several/);
    expect(() => records.get('zzz')).toThrow(
      expect.objectContaining({ code: 'USAGE', fix: expect.stringContaining('holmes investigations list') }),
    );
  });
});
