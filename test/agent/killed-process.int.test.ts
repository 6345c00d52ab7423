import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/ledger/open-database.js';
import { createRecordStore } from '../../src/ledger/record-store.js';
import { createSqliteRunner } from '../../src/ledger/sql-runner.js';

const SCRIPT = fileURLToPath(new URL('./hanging-investigation.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let dir: string | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  // A failed assertion must not leave the hanging process behind.
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('an investigation whose process is killed', () => {
  it('leaves a record marked failed, with the steps made before the kill', async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-agent-kill-'));
    const path = join(dir, 'holmes.db');
    const worker = spawn(process.execPath, ['--import', TSX, SCRIPT, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = worker;
    let stderr = '';
    worker.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      worker.once('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      worker.stdout.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('ready') && resolve());
      worker.once('exit', (code) => reject(new Error(`exited (${code}) before it was ready: ${stderr}`)));
    });
    const db = openDatabase({ path });
    try {
      expect(db.prepare(`SELECT state FROM agent_records`).all()).toEqual([{ state: 'running' }]);
      worker.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const records = createRecordStore(createSqliteRunner(db));
      const [row] = await records.list();
      expect(row).toMatchObject({ state: 'failed', error: expect.stringContaining(`process ${worker.pid}`) });
      const record = await records.get(row!.id);
      expect(record.steps.map((step) => step.kind)).toEqual([
        'admission',
        'deterministic',
        'prompt',
        'model-call',
        'tool-call',
      ]);
      expect(record.steps[4]!.data).toMatchObject({
        name: 'gpu_sharing',
        status: 'success',
        output: expect.stringContaining('embed-batch'),
      });
    } finally {
      db.close();
    }
  });
});
