import type { HolmesConfig } from '../config/config-schema.js';
import type { Scenario } from '../lab/scenario.js';
import type { CommandContext } from './command-context.js';

/** Flags every command that reads telemetry accepts. */
export interface SourceOptions {
  scenario?: string;
  prometheusUrl?: string;
  kubeconfig?: string;
  kubeContext?: string;
}

/**
 * Runs `work` with the config pointed at the right sources: the lab of `--scenario DIR` (started
 * and torn down here), or the flags, or the config file as is.
 */
export async function withSources<T>(
  context: CommandContext,
  options: SourceOptions,
  work: (config: HolmesConfig, scenario: Scenario | undefined) => Promise<T>,
): Promise<T> {
  const config: HolmesConfig = structuredClone(context.config);
  if (options.prometheusUrl) config.prometheus.url = options.prometheusUrl;
  if (options.kubeconfig) config.kubernetes.kubeconfig = options.kubeconfig;
  if (options.kubeContext) config.kubernetes.context = options.kubeContext;
  if (!options.scenario) return work(config, undefined);
  const [{ loadScenario }, { startLab }, { registerCleanup }, { configForLab }] = await Promise.all([
    import('../lab/load-scenario.js'),
    import('../lab/start-lab.js'),
    import('../lab/prometheus/index.js'),
    import('../lab/config-for-lab.js'),
  ]);
  const scenario = await loadScenario(options.scenario);
  const lab = await startLab(scenario);
  const unregister = registerCleanup(() => lab.close());
  try {
    return await work(configForLab(config, lab), scenario);
  } finally {
    unregister();
    await lab.close();
  }
}
