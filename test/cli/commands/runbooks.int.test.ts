import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RUNBOOKS_DIR } from '../../../src/runbooks/load-runbooks.js';
import { createSandbox, hasStack, runCli, type Sandbox } from '../run-cli.js';

let sandbox: Sandbox;

/** A copy of one built-in runbook and its examples, to break without touching the originals. */
function copyOf(id: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'holmes-runbooks-cli-'));
  for (const name of [`${id}.md`, `${id}.examples.yaml`]) cpSync(join(BUILTIN_RUNBOOKS_DIR, name), join(dir, name));
  return dir;
}

describe('holmes runbooks', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
  });
  afterAll(async () => {
    await sandbox?.remove();
  });

  it('check loads every built-in runbook against the built-in tools', async () => {
    const result = await runCli(sandbox, ['runbooks', 'check']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^25 runbooks load:/);
  });

  it('test passes every example of the built-in runbooks, without Prometheus', async () => {
    const result = await runCli(sandbox, ['runbooks', 'test']);
    expect(result.stdout).not.toContain('FAIL');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/(\d+)\/\1 examples pass\./);
  });

  it('test fails with the expected and actual verdict and the facts when an example is wrong', async () => {
    const dir = copyOf('kv-cache-saturation');
    const file = join(dir, 'kv-cache-saturation.examples.yaml');
    // The first example of the first check supports; claim it contradicts.
    writeFileSync(file, readFileSync(file, 'utf8').replace('expect: supports', 'expect: contradicts'));
    const result = await runCli(sandbox, ['runbooks', 'test', dir]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('FAIL kv-cache-saturation');
    expect(result.stdout).toContain('kv-cache-full — cache newly full');
    expect(result.stdout).toContain('- expected contradicts');
    expect(result.stdout).toContain('+ got      supports');
    expect(result.stdout).toContain('facts:');
    expect(hasStack(result.stdout + result.stderr)).toBe(false);
  });

  it('check refuses a runbook with an unknown tool, naming its file and line', async () => {
    const dir = copyOf('kv-cache-saturation');
    const file = join(dir, 'kv-cache-saturation.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('tool: recent_rollouts', 'tool: recent_rolouts'));
    const result = await runCli(sandbox, ['runbooks', 'check', dir]);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/kv-cache-saturation\.md:\d+/);
    expect(result.stdout + result.stderr).toContain('recent_rolouts');
  });
});
