import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HolmesError } from '../../../src/core/errors.js';
import { startPrometheus } from '../../../src/lab/prometheus/index.js';

const options = {
  series: [{ metric: 'up', labels: { job: 'lab' }, values: [1, 1, 1] }],
  now: new Date('2025-01-15T12:00:00Z'),
  intervalMs: 30_000,
};

const saved = { ...process.env };
let scratch: string;
let labTemp: string;

/** A stand-in binary: a shell script, so each failure mode is real process behaviour. */
function fakeBinary(name: string, body: string): string {
  const file = join(scratch, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

async function startError(): Promise<HolmesError> {
  try {
    const lab = await startPrometheus({ ...options, timeoutMs: 2_000 });
    await lab.close();
  } catch (error) {
    if (HolmesError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected startPrometheus to fail');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startPrometheus lifecycle', () => {
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'holmes-lab-test-'));
    // A private TMPDIR shows whether a failed start left its temp dir behind.
    labTemp = mkdtempSync(join(scratch, 'tmp-'));
    process.env.TMPDIR = labTemp;
  });

  afterEach(() => {
    // Key by key: os.tmpdir() reads the real environment, which a new process.env object would not reset.
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('stops the process and removes its temp dir when closed, and closes twice safely', async () => {
    const lab = await startPrometheus(options);
    expect(isRunning(lab.pid)).toBe(true);
    expect(lab.dataDir.startsWith(labTemp)).toBe(true);
    await lab.close();
    expect(isRunning(lab.pid)).toBe(false);
    expect(existsSync(lab.dataDir)).toBe(false);
    await expect(lab.close()).resolves.toBeUndefined();
  });

  it('throws DEPENDENCY_MISSING naming the apt-get fix when HOLMES_PROMETHEUS_BIN does not exist', async () => {
    process.env.HOLMES_PROMETHEUS_BIN = '/nonexistent';
    const error = await startError();
    expect(error.code).toBe('DEPENDENCY_MISSING');
    expect(error.message).toContain('HOLMES_PROMETHEUS_BIN=/nonexistent');
    expect(error.fix).toContain('apt-get install -y --no-install-recommends prometheus');
    expect(readdirSync(labTemp)).toEqual([]);
  });

  it('throws DEPENDENCY_MISSING when promtool is not on PATH', async () => {
    process.env.PATH = scratch;
    process.env.HOLMES_PROMETHEUS_BIN = fakeBinary('prometheus', 'exit 0');
    const error = await startError();
    expect(error.code).toBe('DEPENDENCY_MISSING');
    expect(error.message).toContain('promtool was not found on PATH');
  });

  it("throws LAB_START_FAILED with promtool's stderr and removes the temp dir when promtool fails", async () => {
    process.env.HOLMES_PROMTOOL_BIN = fakeBinary('promtool', 'echo "out of order sample" >&2; exit 3');
    const error = await startError();
    expect(error.code).toBe('LAB_START_FAILED');
    expect(error.message).toContain('exited with 3');
    expect(error.message).toContain('out of order sample');
    expect(readdirSync(labTemp)).toEqual([]);
  });

  it("throws LAB_START_FAILED with Prometheus's log and removes the temp dir when it exits before ready", async () => {
    process.env.HOLMES_PROMETHEUS_BIN = fakeBinary('prometheus', 'echo "err=\\"opening storage failed\\"" >&2; exit 1');
    const error = await startError();
    expect(error.code).toBe('LAB_START_FAILED');
    expect(error.message).toContain('exited (1)');
    expect(error.message).toContain('opening storage failed');
    expect(readdirSync(labTemp)).toEqual([]);
  });

  it('throws LAB_START_FAILED, kills the process and removes the temp dir when it is never ready', async () => {
    const pidFile = join(scratch, 'pid');
    process.env.HOLMES_PROMETHEUS_BIN = fakeBinary('prometheus', `echo $$ > ${pidFile}; exec sleep 600`);
    const error = await startError();
    expect(error.code).toBe('LAB_START_FAILED');
    expect(error.message).toContain('was not ready in time');
    expect(isRunning(Number(readFileSync(pidFile, 'utf8').trim()))).toBe(false);
    expect(readdirSync(labTemp)).toEqual([]);
  });
});
