import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const OPEN = fileURLToPath(new URL('../../src/ledger/open-database.ts', import.meta.url));
let dir: string | undefined;

describe('openDatabase', () => {
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('migrates a new store once when several processes open it at the same moment', async () => {
    dir = await mkdtemp(join(tmpdir(), 'holmes-open-'));
    const path = join(dir, 'holmes.db');
    const script = `import { openDatabase } from ${JSON.stringify(OPEN)}; openDatabase({ path: ${JSON.stringify(path)} }).close();`;
    // Hold the write lock while the processes start, so they all find the store unmigrated and
    // queue on the lock together; released before their busy timeout (5 s) runs out.
    const holder = new Database(path);
    holder.pragma('journal_mode = WAL');
    holder.exec('BEGIN IMMEDIATE');
    const pending = Promise.allSettled(
      Array.from({ length: 4 }, () => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script])),
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    holder.exec('COMMIT');
    holder.close();
    const opened = await pending;
    expect(opened.filter((entry) => entry.status === 'rejected')).toEqual([]);
    const db = new Database(path, { readonly: true });
    const version = db.pragma('user_version', { simple: true });
    db.close();
    expect(version).toBeGreaterThan(0);
  }, 60_000);
});
