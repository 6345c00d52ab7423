import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HolmesError } from '../../src/core/errors.js';
import { checkScenarios } from '../../src/lab/check-scenarios.js';

const SCENARIOS = fileURLToPath(new URL('../fixtures/scenarios', import.meta.url));
const FIXTURE = join(SCENARIOS, 'gpu-noisy-neighbor-chat');

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return HolmesError.isInstance(error) ? error.code : undefined;
}

describe('checkScenarios', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'holmes-check-scenarios-'));
    await cp(FIXTURE, join(root, 'suite', 'gpu-noisy-neighbor-chat'), { recursive: true });
    await mkdir(join(root, 'suite', 'a-broken'), { recursive: true });
    await writeFile(join(root, 'suite', 'a-broken', 'scenario.yaml'), 'id: a-broken\ntitle: t\nclass: nope\n');
    await mkdir(join(root, 'suite', 'no-yaml'), { recursive: true });
    await mkdir(join(root, 'suite', '.git'), { recursive: true });
    await mkdir(join(root, 'empty'), { recursive: true });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('checks one scenario when the path holds scenario.yaml', async () => {
    expect(await checkScenarios(FIXTURE)).toEqual({
      ok: true,
      scenarios: [{ dir: FIXTURE, id: 'gpu-noisy-neighbor-chat', ok: true, issues: [] }],
    });
  });

  it('checks the scenario when the path is its scenario.yaml', async () => {
    const result = await checkScenarios(join(FIXTURE, 'scenario.yaml'));
    expect(result.scenarios.map((scenario) => [scenario.dir, scenario.ok])).toEqual([[FIXTURE, true]]);
  });

  it('checks every sub-folder in name order when the path is a folder of scenarios', async () => {
    const result = await checkScenarios(join(root, 'suite'));
    expect(result.ok).toBe(false);
    expect(result.scenarios.map(({ dir, id, ok }) => ({ dir, id, ok }))).toEqual([
      { dir: join(root, 'suite', 'a-broken'), id: 'a-broken', ok: false },
      { dir: join(root, 'suite', 'gpu-noisy-neighbor-chat'), id: 'gpu-noisy-neighbor-chat', ok: true },
      { dir: join(root, 'suite', 'no-yaml'), id: undefined, ok: false },
    ]);
  });

  it('returns the issues with file and line when a scenario is invalid', async () => {
    const [broken, , noYaml] = (await checkScenarios(join(root, 'suite'))).scenarios;
    expect(broken?.issues).toContainEqual(
      expect.objectContaining({ path: 'class', line: 3, file: join(root, 'suite', 'a-broken', 'scenario.yaml') }),
    );
    expect(broken?.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['interval', 'alert', 'series', 'expected']),
    );
    expect(noYaml?.issues).toEqual([
      expect.objectContaining({ message: expect.stringContaining('No scenario.yaml in') }),
    ]);
  });

  it('passes when every scenario in the project fixtures loads', async () => {
    expect((await checkScenarios(SCENARIOS)).ok).toBe(true);
  });

  it('throws SCENARIO_NOT_FOUND when the path does not exist', async () => {
    expect(await codeOf(checkScenarios(join(root, 'missing')))).toBe('SCENARIO_NOT_FOUND');
  });

  it('throws SCENARIO_NOT_FOUND when the folder holds no scenarios', async () => {
    expect(await codeOf(checkScenarios(join(root, 'empty')))).toBe('SCENARIO_NOT_FOUND');
  });
});
