import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, FIXTURES, hasStack, runCli, type Sandbox } from '../run-cli.js';

const GOOD = join(FIXTURES, 'lab-shared-gpu');
const BROKEN = join(FIXTURES, 'broken-scenario');

let sandbox: Sandbox;

describe('holmes lab check', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
  });
  afterAll(async () => {
    await sandbox?.remove();
  });

  it('exits 0 and reports the scenario ok when it follows the format', async () => {
    const result = await runCli(sandbox, ['lab', 'check', GOOD]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('ok   lab-shared-gpu\n1 scenario(s) checked, 0 with problems.\n');
  });

  it('exits 2 listing each problem as file:line without a stack when the scenario is broken', async () => {
    const result = await runCli(sandbox, ['lab', 'check', BROKEN]);
    expect(result.code).toBe(2);
    const file = join(BROKEN, 'scenario.yaml');
    expect(result.stdout).toContain('FAIL broken-scenario');
    expect(result.stdout).toContain(
      `${file}:5: class: expected one of tail-latency | gpu-contention | runaway-cost | kubernetes, found 'latency'`,
    );
    expect(result.stdout).toContain(`${file}:14: series[1].values: Series values '45+x3'`);
    expect(result.stdout).toContain('1 scenario(s) checked, 1 with problems.');
    expect(result.stderr.split('\n').filter((line) => line.startsWith('error:'))).toHaveLength(1);
    expect(hasStack(result.stdout + result.stderr)).toBe(false);
  });

  it('reports good and broken scenarios of a folder apart when given --json', async () => {
    const result = await runCli(sandbox, ['--json', 'lab', 'check', FIXTURES]);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      scenarios: Array<{ id?: string; ok: boolean; issues: Array<{ path: string; file?: string; line?: number }> }>;
    };
    expect(report.ok).toBe(false);
    const byId = new Map(report.scenarios.map((scenario) => [scenario.id, scenario]));
    expect(byId.get('lab-shared-gpu')).toMatchObject({ ok: true, issues: [] });
    expect(byId.get('broken-scenario')?.issues.map(({ path, file, line }) => ({ path, file, line }))).toEqual([
      { path: 'class', file: join(BROKEN, 'scenario.yaml'), line: 5 },
      { path: 'series[1].values', file: join(BROKEN, 'scenario.yaml'), line: 14 },
    ]);
  });

  it('exits 2 with the fix when the folder does not exist', async () => {
    const result = await runCli(sandbox, ['lab', 'check', join(sandbox.dir, 'no-such-folder')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: Nothing at ${join(sandbox.dir, 'no-such-folder')}.`);
    expect(result.stderr).toContain('fix: ');
    expect(hasStack(result.stderr)).toBe(false);
  });
});
