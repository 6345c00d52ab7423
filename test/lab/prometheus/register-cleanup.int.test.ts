import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/lab-process.ts', import.meta.url));

interface Started {
  parent: ChildProcess;
  pid: number;
  dataDir: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const leftovers: Started[] = [];

async function startParent(mode: 'plain' | 'graceful' | 'crash'): Promise<Started> {
  const parent = spawn(process.execPath, ['--import', 'tsx', fixture, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    parent.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let stderr = '';
  parent.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const line = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    parent.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '');
    });
    void exited.then(() => reject(new Error(`fixture exited before starting the lab: ${stderr}`)));
  });
  const { pid, dataDir } = JSON.parse(line) as { pid: number; dataDir: string };
  const started = { parent, pid, dataDir, exited };
  leftovers.push(started);
  return started;
}

/** Alive and not a zombie: an orphan that has exited waits, dead, until init reaps it. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !stat.includes(') Z ');
}

/** Waits until the watchdog has done its work, or gives up after 20 s (it needs about 0.1 s). */
async function settled(started: Started): Promise<boolean> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (!isRunning(started.pid) && !existsSync(started.dataDir)) return true;
    await sleep(100);
  }
  return false;
}

describe('registerCleanup and the lab watchdog', () => {
  afterEach(() => {
    for (const started of leftovers.splice(0)) {
      for (const pid of [started.parent.pid, started.pid]) {
        if (pid !== undefined && isRunning(pid)) process.kill(pid, 'SIGKILL');
      }
      rmSync(started.dataDir, { recursive: true, force: true });
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops Prometheus and removes the temp dir before the parent ends on %s',
    async (signal) => {
      const started = await startParent('graceful');
      expect(isRunning(started.pid)).toBe(true);
      started.parent.kill(signal);
      expect(await started.exited).toEqual({ code: null, signal });
      expect(isRunning(started.pid)).toBe(false);
      expect(existsSync(started.dataDir)).toBe(false);
    },
  );

  it('stops Prometheus and removes the temp dir when the parent is killed with SIGKILL', async () => {
    const started = await startParent('plain');
    started.parent.kill('SIGKILL');
    expect((await started.exited).signal).toBe('SIGKILL');
    expect(await settled(started)).toBe(true);
  });

  it('stops Prometheus and removes the temp dir when the parent crashes', async () => {
    const started = await startParent('crash');
    expect((await started.exited).code).toBe(1);
    expect(await settled(started)).toBe(true);
  });
});
