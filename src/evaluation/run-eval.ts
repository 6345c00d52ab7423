import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { HolmesConfig } from '../config/config-schema.js';
import { HolmesError } from '../core/errors.js';
import { createInvestigator } from '../investigator/create-investigator.js';
import { loadScenario } from '../lab/load-scenario.js';
import { startLab } from '../lab/start-lab.js';
import type { Scenario } from '../lab/scenario.js';

export interface EvalResult {
  id: string;
  expected: string | null;
  actual: string | null;
  top3: string[];
  passed: boolean;
  durationMs: number;
  error: string | null;
  /** Not part of the contract's required fields: extra facts for the Markdown table. */
  class?: string;
  queries?: number;
}

export interface EvalReport {
  mode: 'deterministic';
  total: number;
  passed: number;
  results: EvalResult[];
}

/** Scenario folders in DIR (each holding scenario.yaml), sorted; a bad DIR stops the run. */
export async function listScenarioDirs(directory: string): Promise<string[]> {
  const root = resolve(directory);
  let names: string[];
  try {
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
    names = await readdir(root);
  } catch {
    throw new HolmesError('SCENARIO_NOT_FOUND', `Scenario directory ${root} does not exist or is not a directory.`, { fix: 'Pass --scenarios DIR, a folder with one sub-folder per scenario (like evals/scenarios).' });
  }
  const dirs: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const path = join(root, name);
    if ((await stat(path)).isDirectory()) dirs.push(path);
  }
  return dirs;
}

async function evaluateOne(dir: string, config: HolmesConfig): Promise<EvalResult> {
  const started = performance.now();
  let scenario: Scenario | undefined;
  try {
    scenario = await loadScenario(dir);
    const lab = await startLab(scenario);
    try {
      const labConfig: HolmesConfig = {
        ...config,
        prometheus: { ...config.prometheus, url: lab.prometheusUrl, bearerToken: undefined },
        kubernetes: { ...config.kubernetes, server: lab.kubeApiUrl, kubeconfig: undefined, inCluster: false },
      };
      const investigator = await createInvestigator(labConfig);
      const result = await investigator.investigate(scenario.alert);
      const top3 = result.hypotheses.slice(0, 3).map((hypothesis) => hypothesis.cause);
      const actual = result.rootCause?.id ?? null;
      return {
        id: scenario.id,
        expected: scenario.expected.rootCause,
        actual,
        top3,
        passed: actual === scenario.expected.rootCause,
        durationMs: Math.round(result.timings.durationMs),
        error: null,
        class: scenario.class,
        queries: result.usage.queries,
      };
    } finally {
      await lab.close();
    }
  } catch (error) {
    const message = HolmesError.isInstance(error) ? [error.message, ...error.issues.map((issue) => `${issue.file ?? ''}:${issue.line ?? ''} ${issue.path}: ${issue.message}`)].join('\n') : String((error as Error).stack ?? error);
    return {
      id: scenario?.id ?? dir.split('/').at(-1)!,
      expected: scenario?.expected.rootCause ?? null,
      actual: null,
      top3: [],
      passed: false,
      durationMs: Math.round(performance.now() - started),
      error: message,
      ...(scenario ? { class: scenario.class } : {}),
    };
  }
}

/**
 * Runs every scenario of DIR through the lab and the deterministic investigator. A scenario that
 * fails to load or crashes is a failed result with its error; the run goes on.
 */
export async function runEval(directory: string, config: HolmesConfig, onResult?: (result: EvalResult) => void): Promise<EvalReport> {
  const dirs = await listScenarioDirs(directory);
  const results: EvalResult[] = [];
  for (const dir of dirs) {
    const result = await evaluateOne(dir, config);
    results.push(result);
    onResult?.(result);
  }
  return { mode: 'deterministic', total: results.length, passed: results.filter((result) => result.passed).length, results };
}
