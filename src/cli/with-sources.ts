import type { HolmesConfig } from '../config/config-schema.js';
import type { Scenario } from '../lab/scenario.js';
import type { Lab } from '../lab/start-lab.js';
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
  const { configForLab } = await import('../lab/config-for-lab.js');
  return withLab(options.scenario, (lab) => work(configForLab(config, lab), lab.scenario));
}

/** Starts the lab of one scenario for `work` and removes it afterwards — also on a signal or a crash. */
export async function withLab<T>(dir: string, work: (lab: Lab) => Promise<T>): Promise<T> {
  const [{ loadScenario }, { startLab }, { registerCleanup }] = await Promise.all([
    import('../lab/load-scenario.js'),
    import('../lab/start-lab.js'),
    import('../lab/prometheus/index.js'),
  ]);
  const lab = await startLab(await loadScenario(dir));
  const unregister = registerCleanup(() => lab.close());
  try {
    return await work(lab);
  } finally {
    unregister();
    await lab.close();
  }
}
