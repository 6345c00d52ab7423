import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  createSandbox,
  FIXTURES,
  firstJson,
  hasStack,
  labDirsIn,
  processesMentioning,
  runCli,
  spawnCli,
  type Sandbox,
} from '../run-cli.js';

const SCENARIO = join(FIXTURES, 'lab-shared-gpu');

interface LabInfo {
  scenario: string;
  now: string;
  prometheusUrl: string;
  kubeApiUrl: string;
  kubeconfig: string;
}

let sandbox: Sandbox;

/** What is still alive or on disk from a lab whose temp dirs were made in the sandbox's TMPDIR. */
function leftovers(): { dirs: string[]; processes: number[] } {
  return { dirs: labDirsIn(sandbox.tmp), processes: processesMentioning(sandbox.tmp) };
}

async function reachable(url: string): Promise<boolean> {
  return fetch(url).then(
    (response) => response.ok,
    () => false,
  );
}

/** Waits for `condition` (checked every 50 ms); the test's own timeout bounds the wait. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}

function expectLabInfo(info: LabInfo): void {
  expect(info).toEqual({
    scenario: 'lab-shared-gpu',
    now: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/),
    prometheusUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    kubeApiUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    kubeconfig: expect.stringMatching(/\/kubeconfig$/),
  });
  expect(info.kubeconfig.startsWith(sandbox.tmp)).toBe(true);
}

describe('holmes lab up', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
  });
  afterAll(async () => {
    await sandbox?.remove();
  });

  it('prints the endpoints as JSON and leaves nothing behind when given --once --json', async () => {
    const result = await runCli(sandbox, ['--json', 'lab', 'up', SCENARIO, '--once']);
    expect(result.code, result.stderr).toBe(0);
    const info = JSON.parse(result.stdout) as LabInfo;
    expectLabInfo(info);
    expect(leftovers()).toEqual({ dirs: [], processes: [] });
    expect(existsSync(info.kubeconfig)).toBe(false);
    expect(await reachable(`${info.prometheusUrl}/-/ready`)).toBe(false);
    expect(await reachable(`${info.kubeApiUrl}/api/v1/pods`)).toBe(false);
  });

  it.each([
    ['SIGINT', 'the process group, as Ctrl-C in a terminal does', true],
    ['SIGINT', 'the process alone', false],
    ['SIGTERM', 'the process alone, as kill does', false],
  ] as const)(
    'stays up until %s reaches %s, then stops Prometheus and removes its temp dirs',
    async (signal, _to, group) => {
      const child = spawnCli(sandbox, ['--json', 'lab', 'up', SCENARIO], { detached: group });
      const exited = collect(child);
      try {
        const info = await firstJson<LabInfo>(child);
        expectLabInfo(info);
        // Up and serving: both endpoints answer, and the lab's files and processes exist.
        const query = await fetch(
          `${info.prometheusUrl}/api/v1/query?query=${encodeURIComponent('DCGM_FI_DEV_GPU_UTIL')}`,
        );
        expect(
          ((await query.json()) as { data: { result: Array<{ value: [number, string] }> } }).data.result[0]?.value[1],
        ).toBe('97');
        expect(await reachable(`${info.kubeApiUrl}/api/v1/namespaces/llm/pods`)).toBe(true);
        expect(existsSync(info.kubeconfig)).toBe(true);
        // One temp dir: Prometheus's, which holds the kubeconfig too.
        expect(leftovers().dirs).toHaveLength(1);
        expect(info.kubeconfig.startsWith(join(sandbox.tmp, leftovers().dirs[0]!))).toBe(true);
        expect(leftovers().processes.length).toBeGreaterThan(0);

        process.kill(group ? -child.pid! : child.pid!, signal);
        const result = await exited;
        // Ends as the signal asks: killed by it, or its conventional status 128 + number.
        const endedBySignal = result.signal === signal || result.code === 128 + constants.signals[signal];
        expect(endedBySignal, `code ${result.code}, signal ${result.signal}: ${result.stderr}`).toBe(true);
        expect(hasStack(result.stderr)).toBe(false);
        expect(leftovers()).toEqual({ dirs: [], processes: [] });
        expect(await reachable(`${info.prometheusUrl}/-/ready`)).toBe(false);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
  );

  it('leaves nothing behind, kubeconfig included, when the process is killed with SIGKILL', async () => {
    const child = spawnCli(sandbox, ['--json', 'lab', 'up', SCENARIO]);
    const exited = collect(child);
    const info = await firstJson<LabInfo>(child);
    expect(existsSync(info.kubeconfig)).toBe(true);
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
    // No handler runs on SIGKILL: the lab's watchdog notices and cleans up, soon but not at once.
    await until(() => leftovers().dirs.length === 0 && leftovers().processes.length === 0);
    expect(leftovers()).toEqual({ dirs: [], processes: [] });
    expect(await reachable(`${info.prometheusUrl}/-/ready`)).toBe(false);
  });

  it('exits 2 naming the scenario folder when it does not exist', async () => {
    const result = await runCli(sandbox, ['lab', 'up', join(sandbox.dir, 'no-such-scenario'), '--once']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: No scenario folder at ${join(sandbox.dir, 'no-such-scenario')}.`);
    expect(hasStack(result.stderr)).toBe(false);
    expect(leftovers()).toEqual({ dirs: [], processes: [] });
  });

  it('exits 2 listing each problem once when the scenario is broken', async () => {
    const result = await runCli(sandbox, ['lab', 'up', join(FIXTURES, 'broken-scenario'), '--once']);
    expect(result.code).toBe(2);
    const file = join(FIXTURES, 'broken-scenario', 'scenario.yaml');
    expect(result.stderr.split(`${file}:5: class:`)).toHaveLength(2);
    expect(result.stderr.split(`${file}:14: series[1].values:`)).toHaveLength(2);
    expect(hasStack(result.stderr)).toBe(false);
    expect(leftovers()).toEqual({ dirs: [], processes: [] });
  });
});
