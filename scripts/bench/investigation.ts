import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load-config.js';
import { listScenarioDirs } from '../../src/evaluation/run-eval.js';
import { createInvestigator } from '../../src/investigator/create-investigator.js';
import { loadScenario } from '../../src/lab/load-scenario.js';
import { configForLab } from '../../src/lab/config-for-lab.js';
import { startLab } from '../../src/lab/start-lab.js';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/** Deterministic investigation time per scenario in the lab (lab start excluded) and queries per investigation. */
export async function run(): Promise<void> {
  const directory = fileURLToPath(new URL('../../evals/scenarios/', import.meta.url));
  const { config } = loadConfig({ env: {} });
  const times: number[] = [];
  const queries: number[] = [];
  for (const dir of await listScenarioDirs(directory)) {
    const scenario = await loadScenario(dir);
    const lab = await startLab(scenario);
    try {
      const investigator = await createInvestigator(configForLab(config, lab));
      // One warm-up: the first call of a process pays module and tokenizer loading.
      if (times.length === 0) await investigator.investigate(scenario.alert);
      const started = performance.now();
      const result = await investigator.investigate(scenario.alert);
      const elapsed = performance.now() - started;
      times.push(elapsed);
      queries.push(result.usage.queries);
      process.stdout.write(
        `${scenario.id.padEnd(40)} ${elapsed.toFixed(0).padStart(6)} ms ${String(result.usage.queries).padStart(4)} queries ${String(result.usage.toolCalls).padStart(4)} tool calls → ${result.rootCause?.id ?? '—'}\n`,
      );
    } finally {
      await lab.close();
    }
  }
  const sortedTimes = [...times].sort((a, b) => a - b);
  const sortedQueries = [...queries].sort((a, b) => a - b);
  process.stdout.write(
    `investigation time over ${times.length} scenarios: p50 ${quantile(sortedTimes, 0.5).toFixed(0)} ms (target ≤ 1500), p95 ${quantile(sortedTimes, 0.95).toFixed(0)} ms (target ≤ 3000); queries per investigation: p50 ${quantile(sortedQueries, 0.5)}, max ${sortedQueries.at(-1)}\n`,
  );
}
