import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AgentOptions } from '../agent/create-agent.js';
import type { HolmesConfig } from '../config/config-schema.js';
import { NO_CAUSE } from '../core/causes.js';
import { HolmesError } from '../core/errors.js';
import { createInvestigator } from '../investigator/create-investigator.js';
import { loadScenario } from '../lab/load-scenario.js';
import { configForLab } from '../lab/config-for-lab.js';
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
  /** LLM mode: tokens and USD the scenario cost, and the `mentions` the answer lacked. */
  inputTokens?: number;
  outputTokens?: number;
  usd?: number;
  missing?: string[];
  /** LLM mode: the agent's status (a team over budget is investigated deterministically). */
  status?: string;
  recordId?: string;
}

export type EvalMode = 'deterministic' | 'llm';

export interface EvalReport {
  mode: EvalMode;
  total: number;
  passed: number;
  /** Of the scenarios where a cause was named, the share that was right (null: none named). */
  precision: number | null;
  results: EvalResult[];
  /** Sums over the scenarios (tokens and USD are 0 in deterministic mode). */
  totals: { inputTokens: number; outputTokens: number; usd: number; durationMs: number };
}

export interface RunEvalOptions {
  mode?: EvalMode;
  /** LLM mode: how the agent is built (tests pass scripted models). */
  agent?: AgentOptions;
  /** Runs in each scenario's lab after its investigation, e.g. `holmes doctor` against it (tests). */
  inLab?: (config: HolmesConfig, scenario: Scenario) => Promise<void>;
}

/** Scenario folders in DIR (each holding scenario.yaml), sorted; a bad DIR stops the run. */
export async function listScenarioDirs(directory: string): Promise<string[]> {
  const root = resolve(directory);
  let names: string[];
  try {
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
    names = await readdir(root);
  } catch {
    throw new HolmesError('SCENARIO_NOT_FOUND', `Scenario directory ${root} does not exist or is not a directory.`, {
      fix: 'Pass --scenarios DIR, a folder with one sub-folder per scenario (like evals/scenarios).',
    });
  }
  const dirs: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const path = join(root, name);
    if ((await stat(path)).isDirectory()) dirs.push(path);
  }
  return dirs;
}

/** The named cause is the expected one; a `none` scenario passes only when no cause is named. */
function isRight(scenario: Scenario, actual: string | null): boolean {
  return scenario.expected.rootCause === NO_CAUSE ? actual === null : actual === scenario.expected.rootCause;
}

/**
 * Of the scenarios where a cause was named, the share named right: what an SRE paged by Holmes
 * cares about. Null when no cause was named at all.
 */
export function precisionOf(results: EvalResult[]): number | null {
  const named = results.filter((result) => result.actual !== null && !result.error);
  if (named.length === 0) return null;
  return named.filter((result) => result.actual === result.expected).length / named.length;
}

/** LLM mode: the agent on the scenario's alert; passes when the cause matches and every mention is in the answer. */
async function evaluateWithAgent(scenario: Scenario, config: HolmesConfig, options: AgentOptions): Promise<EvalResult> {
  const [{ createAgent }, { answerText }] = await Promise.all([
    import('../agent/create-agent.js'),
    import('../agent/agent-result.js'),
  ]);
  const agent = await createAgent(config, options);
  try {
    const result = await agent.investigate(scenario.alert, { requester: 'eval' });
    const text = answerText(result).toLowerCase();
    const missing = scenario.expected.mentions.filter((mention) => !text.includes(mention.toLowerCase()));
    const actual = result.rootCause?.id ?? null;
    return {
      id: scenario.id,
      expected: scenario.expected.rootCause,
      actual,
      top3: result.hypotheses.slice(0, 3).map((hypothesis) => hypothesis.cause),
      passed: isRight(scenario, actual) && missing.length === 0,
      durationMs: Math.round(result.timings.durationMs),
      error: null,
      class: scenario.class,
      queries: result.usage.queries,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      usd: result.usage.usd,
      missing,
      status: `${result.mode} ${result.status}`,
      recordId: result.id,
    };
  } finally {
    agent.close();
  }
}

async function evaluateOne(dir: string, config: HolmesConfig, options: RunEvalOptions = {}): Promise<EvalResult> {
  const started = performance.now();
  let scenario: Scenario | undefined;
  try {
    scenario = await loadScenario(dir);
    const lab = await startLab(scenario);
    try {
      const labConfig = configForLab(config, lab);
      if (options.mode === 'llm') return await evaluateWithAgent(scenario, labConfig, options.agent ?? {});
      const investigator = await createInvestigator(labConfig);
      const result = await investigator.investigate(scenario.alert);
      await options.inLab?.(labConfig, scenario);
      const top3 = result.hypotheses.slice(0, 3).map((hypothesis) => hypothesis.cause);
      const actual = result.rootCause?.id ?? null;
      return {
        id: scenario.id,
        expected: scenario.expected.rootCause,
        actual,
        top3,
        passed: isRight(scenario, actual),
        durationMs: Math.round(result.timings.durationMs),
        error: null,
        class: scenario.class,
        queries: result.usage.queries,
      };
    } finally {
      await lab.close();
    }
  } catch (error) {
    // Without Prometheus no scenario can run: that stops the run (non-zero exit), it is not a result.
    if (HolmesError.isInstance(error) && error.code === 'DEPENDENCY_MISSING') throw error;
    const unlisted = HolmesError.isInstance(error)
      ? error.issues.filter((issue) => !error.message.includes(issue.message))
      : [];
    const message = HolmesError.isInstance(error)
      ? [
          error.message,
          ...unlisted.map((issue) => `${issue.file ?? ''}:${issue.line ?? ''} ${issue.path}: ${issue.message}`),
        ].join('\n')
      : String((error as Error).stack ?? error);
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
 * Runs every scenario of DIR through the lab and the deterministic investigator (or, in llm mode,
 * the agent with the configured models). A scenario that fails to load or crashes is a failed
 * result with its error; the run goes on.
 */
export async function runEval(
  directory: string,
  config: HolmesConfig,
  onResult?: (result: EvalResult) => void,
  options: RunEvalOptions = {},
): Promise<EvalReport> {
  const dirs = await listScenarioDirs(directory);
  const results: EvalResult[] = [];
  for (const dir of dirs) {
    const result = await evaluateOne(dir, config, options);
    results.push(result);
    onResult?.(result);
  }
  const totals = {
    inputTokens: results.reduce((sum, result) => sum + (result.inputTokens ?? 0), 0),
    outputTokens: results.reduce((sum, result) => sum + (result.outputTokens ?? 0), 0),
    usd: results.reduce((sum, result) => sum + (result.usd ?? 0), 0),
    durationMs: results.reduce((sum, result) => sum + result.durationMs, 0),
  };
  return {
    mode: options.mode ?? 'deterministic',
    total: results.length,
    passed: results.filter((result) => result.passed).length,
    precision: precisionOf(results),
    results,
    totals,
  };
}
