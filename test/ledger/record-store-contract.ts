import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreBackend, StoreHandle } from './store-backends.js';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

const FINISHED = {
  state: 'completed' as const,
  mode: 'llm',
  rootCause: 'gpu-noisy-neighbor',
  inputTokens: 10,
  outputTokens: 2,
  usd: 0.001,
  result: { ok: true },
};

/** What the agent's investigation records promise, whichever database keeps them. */
export function recordStoreContract(backend: () => StoreBackend) {
  let handle: StoreHandle;

  describe('record store', () => {
    beforeEach(async () => {
      handle = await backend().open();
    });
    afterEach(async () => {
      await handle.close();
    });

    it('keeps steps in order with their data and finishes the record with its result', async () => {
      const records = handle.records();
      const id = await records.begin({ kind: 'question', subject: 'why?', team: 'chat', askedBy: 'cli:alice' });
      expect(await records.appendStep(id, 'admission', { mode: 'llm' })).toBe(1);
      expect(await records.appendStep(id, 'tool-call', { name: 'gpu_sharing', output: 'GPU 3 shared' }, 12.6)).toBe(2);
      expect((await records.get(id)).state).toBe('running');
      await records.finish(id, FINISHED);
      const record = await records.get(id);
      expect(record).toMatchObject({
        state: 'completed',
        rootCause: 'gpu-noisy-neighbor',
        inputTokens: 10,
        usd: 0.001,
        result: { ok: true },
        askedBy: 'cli:alice',
      });
      expect(record.steps).toMatchObject([
        { seq: 1, kind: 'admission', data: { mode: 'llm' }, durationMs: null },
        { seq: 2, kind: 'tool-call', data: { name: 'gpu_sharing', output: 'GPU 3 shared' }, durationMs: 13 },
      ]);
    });

    it('writes steps appended without waiting in the order they were appended, with the data as it was then', async () => {
      const records = handle.records();
      const id = await records.begin({ kind: 'alert', subject: 'InferenceP99High' });
      const data = { n: 0 };
      for (let index = 1; index <= 20; index += 1) {
        data.n = index;
        void records.appendStep(id, `step-${index}`, data);
      }
      await records.finish(id, FINISHED);
      const { steps } = await records.get(id);
      expect(steps.map((step) => [step.seq, step.kind, step.data.n])).toEqual(
        Array.from({ length: 20 }, (_, index) => [index + 1, `step-${index + 1}`, index + 1]),
      );
    });

    it('lists the newest first, by state and team, and another replica reads what this one wrote', async () => {
      let clock = new Date('2026-12-02T10:00:00.000Z');
      const records = handle.records(() => clock);
      const first = await records.begin({ kind: 'alert', subject: 'A', team: 'chat' });
      await records.finish(first, FINISHED);
      clock = new Date('2026-12-02T10:05:00.000Z');
      const second = await records.begin({ kind: 'question', subject: 'B', team: 'search' });
      const peer = await handle.peer();
      try {
        expect((await peer.records().list()).map((row) => row.id)).toEqual([second, first]);
        expect((await peer.records().list({ state: 'completed' })).map((row) => row.id)).toEqual([first]);
        expect((await peer.records().list({ team: 'search', limit: 1 })).map((row) => row.id)).toEqual([second]);
        expect((await peer.records().get(first)).result).toEqual({ ok: true });
      } finally {
        await peer.close();
      }
    });

    it('marks a running record failed when the process that wrote it is gone, on a new record and on read', async () => {
      const records = handle.records();
      const mine = await records.begin({ kind: 'alert', subject: 'InferenceP99High' });
      const orphan = await records.begin({ kind: 'alert', subject: 'GpuXid' });
      const pid = deadPid();
      await handle.exec(`UPDATE agent_records SET pid = ${pid} WHERE id = '${orphan}'`);
      expect((await records.list()).find((row) => row.id === orphan)).toMatchObject({
        state: 'failed',
        error: expect.stringContaining(`process ${pid}`),
      });
      // This process's own running record is left alone.
      expect((await records.get(mine)).state).toBe('running');
      const again = await records.begin({ kind: 'alert', subject: 'other' });
      await handle.exec(`UPDATE agent_records SET pid = ${pid} WHERE id = '${again}'`);
      await records.begin({ kind: 'alert', subject: 'next' });
      expect(
        (await handle.rows<{ state: string }>(`SELECT state FROM agent_records WHERE id = '${again}'`))[0]!.state,
      ).toBe('failed');
    });

    it('finds a record by a unique id prefix and names the fix for an unknown or ambiguous one', async () => {
      const records = handle.records();
      const id = await records.begin({ id: 'abc123', kind: 'question', subject: 'q' });
      await records.begin({ id: 'abd456', kind: 'question', subject: 'q' });
      expect((await records.get('abc')).id).toBe(id);
      await expect(records.get('ab')).rejects.toThrow(/matches several/);
      await expect(records.get('zzz')).rejects.toThrow(
        expect.objectContaining({ code: 'USAGE', fix: expect.stringContaining('holmes investigations list') }),
      );
    });
  });
}
