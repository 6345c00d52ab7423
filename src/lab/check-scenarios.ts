import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Issue } from '../core/errors.js';
import { HolmesError } from '../core/errors.js';
import { loadScenario } from './load-scenario.js';

export interface ScenarioCheck {
  dir: string;
  /** The scenario's id when scenario.yaml gave one. */
  id?: string;
  ok: boolean;
  issues: Issue[];
}

export interface CheckScenariosResult {
  scenarios: ScenarioCheck[];
  /** True when every scenario loaded. */
  ok: boolean;
}

/**
 * What `holmes lab check PATH` reports. PATH is one scenario folder (or its scenario.yaml), or a
 * folder of scenario folders as `evals/scenarios/` is. A bad scenario is a result, never an
 * exception; only a PATH that does not exist or holds no scenario throws (SCENARIO_NOT_FOUND).
 */
export async function checkScenarios(path: string): Promise<CheckScenariosResult> {
  const found = await stat(path).catch(() => undefined);
  if (found === undefined) {
    throw new HolmesError('SCENARIO_NOT_FOUND', `Nothing at ${path}.`, {
      fix: 'Pass a scenario folder (holding scenario.yaml) or a folder of them, e.g. evals/scenarios.',
    });
  }
  if (found.isFile() && basename(path) !== 'scenario.yaml') {
    throw new HolmesError('SCENARIO_NOT_FOUND', `${path} is a file, not a scenario folder.`, {
      fix: 'Pass the folder holding scenario.yaml, or a folder of such folders.',
    });
  }
  const single = found.isFile() ? dirname(path) : (await isFile(join(path, 'scenario.yaml'))) ? path : undefined;
  const dirs = single === undefined ? await scenarioFolders(path) : [single];
  const scenarios: ScenarioCheck[] = [];
  for (const dir of dirs) scenarios.push(await checkOne(dir));
  return { scenarios, ok: scenarios.every((scenario) => scenario.ok) };
}

async function scenarioFolders(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true });
  // Hidden folders (.git, .cache) are not scenarios.
  const dirs = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(path, name));
  if (dirs.length === 0) {
    throw new HolmesError(
      'SCENARIO_NOT_FOUND',
      `No scenarios in ${path}: it has no scenario.yaml and no sub-folders.`,
      {
        fix: 'Pass a scenario folder (holding scenario.yaml) or a folder of them, e.g. evals/scenarios.',
      },
    );
  }
  return dirs;
}

async function checkOne(dir: string): Promise<ScenarioCheck> {
  try {
    const scenario = await loadScenario(dir);
    return { dir, id: scenario.id, ok: true, issues: [] };
  } catch (error) {
    if (HolmesError.isInstance(error)) {
      const id = error.details.id;
      const issues =
        error.issues.length > 0
          ? error.issues
          : [{ path: '', message: error.message, ...(error.fix ? { fix: error.fix } : {}) }];
      return { dir, ...(typeof id === 'string' ? { id } : {}), ok: false, issues };
    }
    // A bug in the loader must not hide the other scenarios' results.
    return {
      dir,
      ok: false,
      issues: [
        {
          path: '',
          message: `Loading failed unexpectedly: ${String(error)}`,
          fix: 'Report this as a Holmes bug with the scenario attached.',
        },
      ],
    };
  }
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
